package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// NewCmdPlugin is a placeholder until its issue lands.
func NewCmdPlugin(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "plugin",
		Short: "Work with task plugin executables",
		RunE: func(*cobra.Command, []string) error {
			return operationalError(errors.New("plugin: not implemented yet"))
		},
	}
}
