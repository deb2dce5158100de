package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// NewCmdManifest is a placeholder until its issue lands.
func NewCmdManifest(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "manifest",
		Short: "List, add and remove background task declarations in Package.appxmanifest",
		RunE: func(*cobra.Command, []string) error {
			return operationalError(errors.New("manifest: not implemented yet"))
		},
	}
}
