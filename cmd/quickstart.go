package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/examples/exampletask/task"
	"github.com/bgtask/bgtask/examples/sampleapp"
	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/bgtask/bgtask/internal/safetext"
)

// NewCmdQuickstart builds `bgtask quickstart [DIR]`: the whole loop on the
// embedded sample app, with nothing to install or compile.
func NewCmdQuickstart(g *Globals) *cobra.Command {
	return &cobra.Command{
		Use:   "quickstart [DIR]",
		Short: "Walk through declare, register and push on a sample app, in a fresh folder",
		Long: `Quickstart writes a sample app's Package.appxmanifest into DIR (default: a new temporary
folder) and walks through the loop bgtask exists for, with bgtask's own commands: declare the
push task in the manifest, register it (first with the entry point mismatch Windows would
refuse at Register, then correctly), register again (a no-op, as checking AllTasks makes it),
and push a raw notification that runs the task on the example plugin built into bgtask, with
its deferral and progress. Every step prints the command to repeat it by hand in DIR.`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := ""
			if len(args) == 1 {
				dir = args[0]
			}
			return runQuickstart(cmd, g, dir)
		},
	}
}

// quickstartStep is one command of the walkthrough and the exit status it
// is expected to end with.
type quickstartStep struct {
	title string
	args  []string
	want  int
	after string // what the step showed, in a sentence
}

func runQuickstart(cmd *cobra.Command, g *Globals, dir string) error {
	dir, err := quickstartDir(dir)
	if err != nil {
		return err
	}
	manifestPath := filepath.Join(dir, DefaultManifest)
	if err := fsutil.WriteFile(manifestPath, sampleapp.Manifest, 0o644); err != nil {
		return operationalError(fmt.Errorf("writing the sample manifest: %w", err))
	}
	g.noteChange("the sample app was written to %s", safetext.Escape(dir)) // said if the walkthrough's output cannot be written
	pal := g.OutPalette()
	out := g.IO.Out
	fmt.Fprintf(out, "%s the sample app is in %s\n", pal.Bold("bgtask quickstart:"), dir)
	fmt.Fprintf(out, "  Each step shows the command that repeats it there:  cd %s\n", quoteArg(dir))

	const mismatched = "Task.ExampleBackgroundTask" // the seed app's typo: namespace Task, class in Tasks
	steps := []quickstartStep{
		{
			title: "Declare the push task in the manifest (format-preserving: only the new element's bytes change)",
			args:  []string{"manifest", "add", "--entry-point", task.EntryPoint, "--type", "pushNotification"},
			after: "The manifest above now declares " + task.EntryPoint + " for pushNotification.",
		},
		{
			title: "Register it as the seed app does, with its entry point typo",
			args:  []string{"register", "--name", "ExampleBackgroundTask", "--entry-point", mismatched, "--trigger", "push", "--example"},
			want:  ExitUsage,
			after: "Refused (exit 2): Windows 8.1 and later throw at BackgroundTaskBuilder.Register for an entry point the manifest does not declare, so the seed app would crash on a device.",
		},
		{
			title: "Register the declared entry point, run by the example plugin built into bgtask",
			args:  []string{"register", "--name", "ExampleBackgroundTask", "--entry-point", task.EntryPoint, "--trigger", "push", "--example"},
			after: "Registered, with a TaskId as Windows generates one.",
		},
		{
			title: "Register it again, as an app does on every launch",
			args:  []string{"register", "--name", "ExampleBackgroundTask", "--entry-point", task.EntryPoint, "--trigger", "push", "--example"},
			after: "Nothing changed: bgtask checks AllTasks first, so the task is never registered twice.",
		},
		{
			title: "Push a raw notification: the registered task runs, takes a deferral for its async work and reports progress",
			args:  []string{"push", "--payload", `{"order":42}`},
			after: "The task completed within Windows' 30-second limit, holding its deferral until the work was done.",
		},
		{
			title: "Lint the manifest and the registry together, as a CI step would",
			args:  []string{"lint"},
			after: "No findings.",
		},
	}
	// The steps' own output, errors included, goes to one stream, so the
	// walkthrough reads in order even when piped into a file or a pager.
	stepIO := *g.IO
	stepIO.ErrOut, stepIO.ErrTTY = g.IO.Out, g.IO.OutTTY
	for i, step := range steps {
		fmt.Fprintf(out, "\n%s %s\n", pal.Bold(fmt.Sprintf("%d.", i+1)), step.title)
		fmt.Fprintf(out, "  %s\n", pal.Cyan("$ bgtask "+joinArgs(step.args)))
		full := append([]string{"--manifest", manifestPath, "--registry", filepath.Join(dir, filepath.FromSlash(DefaultRegistry))}, step.args...)
		if g.NoColor {
			full = append([]string{"--no-color"}, full...)
		}
		code := Execute(cmd.Context(), &stepIO, full)
		if cmd.Context().Err() != nil {
			return silentExit(ExitFailure)
		}
		if code != step.want {
			fmt.Fprintf(g.IO.ErrOut, "%s step %d exited %d where the walkthrough expects %d; the folder is left as it is: %s\n",
				g.ErrPalette().Red("bgtask quickstart:"), i+1, code, step.want, dir)
			return silentExit(ExitFailure)
		}
		fmt.Fprintf(out, "  %s %s\n", pal.Green("->"), step.after)
	}
	fmt.Fprintf(out, "\n%s\n", pal.Bold("Next, in "+dir+":"))
	for _, next := range []string{
		"bgtask tasks                                     # what is registered",
		"bgtask push --payload hi --app-state foreground  # the running app sees it first",
		"bgtask push --payload hi --timeout 100ms         # the task is cancelled: ExecutionTimeExceeded",
		"bgtask trigger ExampleBackgroundTask --payload hi --json",
		"bgtask plugin new ../mytask                      # start your own task plugin in Go",
	} {
		fmt.Fprintf(out, "  %s\n", next)
	}
	return nil
}

// quickstartDir is dir, created if needed and refused if it already holds
// something (the walkthrough must not edit a real app), or a new temporary
// folder when dir is empty.
func quickstartDir(dir string) (string, error) {
	if dir == "" {
		tmp, err := os.MkdirTemp("", "bgtask-quickstart-")
		if err != nil {
			return "", operationalError(fmt.Errorf("creating a folder for the quickstart: %w", err))
		}
		return tmp, nil
	}
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", operationalError(fmt.Errorf("creating %s: %w", dir, err))
		}
	case err != nil:
		return "", usageErrorf("quickstart folder %s: %w", dir, err)
	case len(entries) > 0:
		return "", usageErrorf("%s is not empty: the quickstart writes a sample app and changes it, so give it an empty or new folder (or none, for a temporary one)", dir)
	}
	return dir, nil
}

// joinArgs shows args as a user would type them in a POSIX shell.
func joinArgs(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = quoteArg(a)
	}
	return strings.Join(quoted, " ")
}

func quoteArg(a string) string {
	if a != "" && !strings.ContainsAny(a, " \t\n\"'\\$`{}[]*?;&|<>()!#~") {
		return a
	}
	return "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
}
