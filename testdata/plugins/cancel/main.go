// Command cancel is a task plugin with a task that honours cancellation and
// one that ignores it.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/bgtask/bgtask/pkg/plugin"
)

func main() {
	plugin.Serve(map[string]plugin.Task{
		"Tasks.Cooperative": plugin.TaskFunc(func(ctx context.Context, inst *plugin.Instance) error {
			fmt.Fprintln(os.Stderr, "running until canceled")
			<-ctx.Done()
			fmt.Fprintln(os.Stderr, "canceled:", inst.CancelReason())
			return nil
		}),
		"Tasks.IgnoreCancel": plugin.TaskFunc(func(ctx context.Context, inst *plugin.Instance) error {
			fmt.Fprintln(os.Stderr, "running until canceled")
			<-ctx.Done()
			fmt.Fprintln(os.Stderr, "canceled:", inst.CancelReason(), "- ignoring it")
			select {}
		}),
	})
}
