package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// NewCmdUnregister is a placeholder until its issue lands.
func NewCmdUnregister(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "unregister",
		Short: "Remove a registration from the local registry",
		RunE: func(*cobra.Command, []string) error {
			return operationalError(errors.New("unregister: not implemented yet"))
		},
	}
}
