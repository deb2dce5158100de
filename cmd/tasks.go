package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// NewCmdTasks is a placeholder until its issue lands.
func NewCmdTasks(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "tasks",
		Short: "List registered background tasks",
		RunE: func(*cobra.Command, []string) error {
			return operationalError(errors.New("tasks: not implemented yet"))
		},
	}
}
