// Command zombie is a task plugin whose task starts a child that exits at
// once and is never waited for: on Unix it stays a zombie in the plugin's
// process group, dead but not reaped, until something reaps it. That is not
// a process left behind.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

func main() {
	if os.Getenv("ZOMBIE_CHILD") == "1" {
		return // the child: exit at once
	}
	plugin.Serve(map[string]plugin.Task{
		"Tasks.Zombie": plugin.TaskFunc(func(context.Context, *plugin.Instance) error {
			self, err := os.Executable()
			if err != nil {
				return err
			}
			child, err := os.StartProcess(self, []string{self}, &os.ProcAttr{
				Env: append(os.Environ(), "ZOMBIE_CHILD=1"), Files: []*os.File{nil, nil, os.Stderr},
			})
			if err != nil {
				return fmt.Errorf("starting the child: %w", err)
			}
			fmt.Fprintf(os.Stderr, "child pid %d, not waited for\n", child.Pid)
			time.Sleep(200 * time.Millisecond) // long enough for the child to exit
			return nil
		}),
	})
}
