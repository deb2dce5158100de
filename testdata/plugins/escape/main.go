// Command escape is a task plugin whose task starts a child that leaves the
// plugin's process group (setsid, as a daemon does) and outlives it, then
// completes at once. The host's group kill cannot reach the child.
package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"

	"github.com/bgtask/bgtask/pkg/plugin"
)

func main() {
	plugin.Serve(map[string]plugin.Task{
		"Tasks.Escape": plugin.TaskFunc(func(context.Context, *plugin.Instance) error {
			child := exec.Command(sleeper[0], sleeper[1:]...)
			leaveGroup(child)
			if err := child.Start(); err != nil {
				return fmt.Errorf("starting the escaping child: %w", err)
			}
			fmt.Fprintf(os.Stderr, "escaped pid %d\n", child.Process.Pid)
			return nil
		}),
		// The same child, holding the plugin's stderr, as a shell's
		// `setsid sleep 300 &` does.
		"Tasks.EscapeHoldingPipes": plugin.TaskFunc(func(context.Context, *plugin.Instance) error {
			child := exec.Command(sleeper[0], sleeper[1:]...)
			child.Stderr = os.Stderr
			leaveGroup(child)
			if err := child.Start(); err != nil {
				return fmt.Errorf("starting the escaping child: %w", err)
			}
			fmt.Fprintf(os.Stderr, "escaped pid %d\n", child.Process.Pid)
			return nil
		}),
	})
}
