package cmd

import (
	"github.com/spf13/cobra"
)

// NewCmdManifest groups the commands that read and edit the background task
// declarations of the --manifest file.
func NewCmdManifest(g *Globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "manifest",
		Short: "List, add and remove background task declarations in Package.appxmanifest",
		Long: `List, add and remove the background task declarations
(<Extension Category="windows.backgroundTasks">) of the --manifest file.

Edits are format-preserving: only the added or removed element and its own line
change; line endings, BOM, indentation, comments and quoting stay as they were,
and add followed by remove gives back the original file byte for byte.
See docs/manifest.md.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(
		NewCmdManifestList(g, nil),
		NewCmdManifestAdd(g, nil),
		NewCmdManifestRemove(g, nil),
		// `bgtask manifest lint` is `bgtask lint`, where people look for it.
		NewCmdLint(g),
	)
	return cmd
}
