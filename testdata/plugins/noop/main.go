// Command noop is a task plugin whose task does nothing: the cost of a run
// is the cost of the process and the protocol.
package main

import (
	"context"

	"github.com/bgtask/bgtask/pkg/plugin"
)

func main() {
	plugin.Serve(map[string]plugin.Task{
		"Tasks.Noop": plugin.TaskFunc(func(context.Context, *plugin.Instance) error { return nil }),
	})
}
