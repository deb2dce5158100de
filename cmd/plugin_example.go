package cmd

import (
	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/examples/exampletask/task"
	"github.com/bgtask/bgtask/pkg/plugin"
)

// examplePluginArgs start the bgtask binary as its own example plugin.
func examplePluginArgs() []string { return []string{"plugin", "__example"} }

// newCmdPluginExample makes bgtask a task plugin serving the seed's
// Tasks.ExampleBackgroundTask, so the quickstart and `plugin check --example`
// need no compiler. Hidden: people run it through --example, never by hand.
func newCmdPluginExample(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:    "__example",
		Short:  "Serve the example task plugin on stdin and stdout (used by --example)",
		Hidden: true,
		Args:   cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			code := plugin.ServeStreams(cmd.Context(), g.IO.In, g.IO.Out, g.IO.ErrOut, task.Tasks(g.IO.ErrOut))
			if code != 0 {
				return silentExit(code)
			}
			return nil
		},
	}
}
