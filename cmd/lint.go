package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// NewCmdLint is a placeholder until its issue lands.
func NewCmdLint(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "lint",
		Short: "Check manifests (and the registry) for background task mistakes",
		RunE: func(*cobra.Command, []string) error {
			return operationalError(errors.New("lint: not implemented yet"))
		},
	}
}
