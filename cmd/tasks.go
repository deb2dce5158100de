package cmd

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// TasksOptions are the tasks command's flags.
type TasksOptions struct {
	JSON bool
}

// NewCmdTasks builds `bgtask tasks`: BackgroundTaskRegistration.AllTasks.
func NewCmdTasks(g *Globals) *cobra.Command {
	opts := &TasksOptions{}
	cmd := &cobra.Command{
		Use:   "tasks",
		Short: "List registered background tasks",
		Long: `List the registry, as BackgroundTaskRegistration.AllTasks does: each registration's
name, trigger, entry point, conditions, plugin, TaskId and when it was registered.
A registry that does not exist is empty. --json output is documented in docs/json.md.`,
		Args: cobra.NoArgs,
		RunE: func(*cobra.Command, []string) error { return runTasks(g, opts) },
	}
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the registrations as JSON")
	return cmd
}

func runTasks(g *Globals, opts *TasksOptions) error {
	batchGC()
	path := g.RegistryPath()
	reg, err := tasks.Load(path)
	if err != nil {
		return registryError(err)
	}
	if opts.JSON {
		out := struct {
			Version  int        `json:"version"`
			Registry string     `json:"registry"`
			Tasks    []taskJSON `json:"tasks"`
		}{Version: jsonVersion, Registry: path, Tasks: make([]taskJSON, 0, len(reg.Registrations))}
		for _, r := range reg.Registrations {
			out.Tasks = append(out.Tasks, newTaskJSON(path, r))
		}
		return writeJSON(g.IO.Out, out)
	}
	if len(reg.Registrations) == 0 {
		if _, err := fmt.Fprintf(g.IO.Out, "no tasks registered in %s\n", safetext.Escape(path)); err != nil {
			return err
		}
		g.noteNoApp()
		return nil
	}
	t := &table{header: []string{"NAME", "TRIGGER", "ENTRY POINT", "CONDITIONS", "PLUGIN", "TASK ID", "REGISTERED"}}
	for _, r := range reg.Registrations {
		// Names, entry points and paths come from a file people edit by hand.
		t.rows = append(t.rows, []string{
			safetext.Escape(r.Name),
			r.Trigger.String(),
			safetext.Escape(r.EntryPoint),
			conditionsCell(r),
			safetext.Escape(pluginCell(reg, r)),
			r.TaskID.String(),
			r.Registered.UTC().Format(time.DateTime + "Z"),
		})
	}
	p := g.OutPalette()
	return t.write(g.IO.Out, func(s string) string { return p.Faint(s) }, func(col int, s string) string {
		if col == 0 {
			return p.Bold(s)
		}
		return s
	})
}

// pluginCell shows what push and trigger would start for r.
func pluginCell(reg *tasks.Registry, r tasks.Registration) string {
	if r.ExamplePlugin {
		return "(built-in example)"
	}
	cell := orDash(reg.PluginPath(r))
	for _, arg := range r.PluginArgs {
		cell += " " + strconv.Quote(arg)
	}
	return cell
}

func conditionsCell(r tasks.Registration) string {
	cell := orDash(strings.Join(r.ConditionNames(), ","))
	if r.CancelOnConditionLoss {
		cell += " (cancel on loss)"
	}
	return cell
}
