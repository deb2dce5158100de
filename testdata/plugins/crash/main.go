// Command crash is a task plugin whose task kills its process mid-run.
package main

import (
	"context"
	"fmt"
	"os"

	"github.com/bgtask/bgtask/pkg/plugin"
)

func main() {
	plugin.Serve(map[string]plugin.Task{
		"Tasks.Crash": plugin.TaskFunc(func(context.Context, *plugin.Instance) error {
			fmt.Fprintln(os.Stderr, "about to crash")
			os.Exit(3)
			return nil
		}),
	})
}
