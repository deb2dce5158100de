package cmd

import (
	"fmt"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
	"github.com/google/uuid"
	"github.com/spf13/cobra"
)

// UnregisterOptions are unregister's flags and argument.
type UnregisterOptions struct {
	Name   string
	ID     string
	Cancel bool
	JSON   bool
}

// NewCmdUnregister builds `bgtask unregister`: BackgroundTaskRegistration.Unregister.
func NewCmdUnregister(g *Globals) *cobra.Command {
	opts := &UnregisterOptions{}
	cmd := &cobra.Command{
		Use:   "unregister NAME | --id GUID",
		Short: "Remove a registration from the local registry",
		Long: `Remove a registration, as BackgroundTaskRegistration.Unregister does.

--cancel is Unregister(true): the registration's running instances, in any bgtask push,
trigger or serve using this registry, are cancelled with reason Abort and get the grace period
to finish, instead of being left to finish (Unregister(false), the default). The output says
how many were running.`,
		Example: `  bgtask unregister RawPush
  bgtask unregister --id 0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77 --cancel`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if len(args) == 1 {
				opts.Name = args[0]
			}
			return runUnregister(cmd, g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.ID, "id", "", "the TaskId of the registration to remove, instead of its name")
	f.BoolVar(&opts.Cancel, "cancel", false, "cancel running instances with reason Abort (Unregister(true))")
	f.BoolVar(&opts.JSON, "json", false, "print the removed registration as JSON")
	return cmd
}

func runUnregister(cmd *cobra.Command, g *Globals, opts *UnregisterOptions) error {
	batchGC()
	var sel tasks.Selector
	switch {
	case opts.Name != "" && opts.ID != "":
		return usageErrorf("give a NAME or --id, not both")
	case opts.Name != "":
		sel.Name = opts.Name
	case opts.ID != "":
		id, err := uuid.Parse(opts.ID)
		if err != nil {
			return usageErrorf("--id %q is not a TaskId GUID: %w", opts.ID, err)
		}
		sel.TaskID = id
	default:
		return usageErrorf("say which registration to remove: a NAME or --id GUID (bgtask tasks lists them)")
	}
	path := g.RegistryPath()
	ctx, cancel, err := withLockWait(cmd.Context(), g)
	if err != nil {
		return err
	}
	defer cancel()
	removed, err := tasks.Unregister(ctx, path, sel)
	if err != nil {
		return registryError(err)
	}
	g.noteChange("%s unregistered from %s", safetext.Escape(removed.Name), safetext.Escape(path))
	canceled := 0
	if opts.Cancel {
		if canceled, err = simulate.RequestCancel(path, removed.TaskID.String()); err != nil {
			return operationalError(fmt.Errorf("%w (the registration itself was removed)", err))
		}
	}
	if opts.JSON {
		return writeJSON(g.IO.Out, struct {
			Version           int      `json:"version"`
			Status            string   `json:"status"`
			Task              taskJSON `json:"task"`
			Cancel            bool     `json:"cancel"`
			InstancesCanceled int      `json:"instancesCanceled"`
		}{jsonVersion, "unregistered", newTaskJSON(path, removed), opts.Cancel, canceled})
	}
	p := g.OutPalette()
	fmt.Fprintf(g.IO.Out, "%s %s: TaskId %s\n", p.Green("unregistered"), p.Bold(safetext.Escape(removed.Name)), removed.TaskID)
	if opts.Cancel {
		if canceled == 0 {
			fmt.Fprintln(g.IO.Out, "  --cancel: no instance of it was running")
		} else {
			fmt.Fprintf(g.IO.Out, "  --cancel: %d running instance(s) asked to cancel with reason Abort\n", canceled)
		}
	}
	return nil
}
