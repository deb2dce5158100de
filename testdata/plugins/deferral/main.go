// Command deferral is a task plugin with a task that keeps its instance alive
// with a deferral while async work runs, and one that starts the same work
// without a deferral, which Windows (and bgtask) lose when Run returns.
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

const work = 300 * time.Millisecond

func main() {
	plugin.Serve(map[string]plugin.Task{
		"Tasks.Deferred": plugin.TaskFunc(func(_ context.Context, inst *plugin.Instance) error {
			d := inst.GetDeferral()
			go func() {
				defer d.Complete()
				inst.SetProgress(10)
				time.Sleep(work)
				inst.SetProgress(100)
				fmt.Fprintln(os.Stderr, "work done")
			}()
			return nil
		}),
		"Tasks.Lost": plugin.TaskFunc(func(_ context.Context, inst *plugin.Instance) error {
			go func() {
				// Far longer than the SDK lingers after a forgotten deferral,
				// so the work is lost however slow the machine.
				time.Sleep(10 * work)
				inst.SetProgress(100)
				fmt.Fprintln(os.Stderr, "work done")
			}()
			return nil
		}),
	})
}
