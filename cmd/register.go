package cmd

import (
	"errors"

	"github.com/spf13/cobra"
)

// NewCmdRegister is a placeholder until its issue lands.
func NewCmdRegister(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "register",
		Short: "Register a background task in the local registry",
		RunE: func(*cobra.Command, []string) error {
			return operationalError(errors.New("register: not implemented yet"))
		},
	}
}
