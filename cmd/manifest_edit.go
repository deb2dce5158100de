package cmd

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/internal/shutdown"
	"github.com/bgtask/bgtask/pkg/lint"
	"github.com/bgtask/bgtask/pkg/manifest"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// ManifestAddOptions are `bgtask manifest add`'s flags.
type ManifestAddOptions struct {
	App        string
	EntryPoint string
	StartPage  string
	Executable string
	Types      []string
	DryRun     bool
}

// ManifestRemoveOptions are `bgtask manifest remove`'s flags.
type ManifestRemoveOptions struct {
	App        string
	EntryPoint string
	StartPage  string
	Type       string
	DryRun     bool
}

// NewCmdManifestAdd builds `bgtask manifest add`. Tests pass runF to check
// flag parsing alone; nil runs the command.
func NewCmdManifestAdd(g *Globals, runF func(*ManifestAddOptions) error) *cobra.Command {
	opts := &ManifestAddOptions{}
	cmd := &cobra.Command{
		Use:   "add (--entry-point CLASS | --start-page FILE) --type TYPE [--type TYPE...]",
		Short: "Declare a background task in the manifest",
		Long: `Declare background task types for an entry point (a class, for C#, C++ and VB apps)
or a start page (a JavaScript app's task file) in the --manifest file.

A declaration of the same entry point in the application gets the new types
merged in; types already declared change nothing (exit 0). Types the manifest's
generation does not know are refused with the list of valid ones. With several
applications in the manifest, --app names the one to edit.

A new declaration is never written with a value bgtask lint reports as an
error: --entry-point must be Namespace.Class (not a file name such as pch.cpp),
and --executable must end in .exe. An edit after which bgtask lint reports an
error it did not report before (a pushNotification task in a Windows 8.1 app
without a LockScreen) is written with a warning that gives lint's fix.

The edit is format-preserving, and --dry-run prints it as a unified diff
without writing anything.`,
		Example: `  bgtask manifest add --entry-point Tasks.RawPushTask --type pushNotification
  bgtask manifest add --entry-point Tasks.SyncTask --type timer --type systemEvent --app App
  bgtask manifest add --start-page 'js\pushtask.js' --type pushNotification --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runManifestAdd(c.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.EntryPoint, "entry-point", "", "the task's class, `Namespace.Class` (C#, C++, VB)")
	f.StringVar(&opts.StartPage, "start-page", "", "the task's script `FILE` (JavaScript apps)")
	f.StringVar(&opts.Executable, "executable", "", "the `EXE` that hosts the task (only for tasks that need one)")
	f.StringSliceVar(&opts.Types, "type", nil, "task `TYPE` to declare (repeatable), for example pushNotification")
	f.StringVar(&opts.App, "app", "", "the Application `ID` to edit (needed when the manifest has several)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print the change as a unified diff and write nothing")
	return cmd
}

// NewCmdManifestRemove builds `bgtask manifest remove`.
func NewCmdManifestRemove(g *Globals, runF func(*ManifestRemoveOptions) error) *cobra.Command {
	opts := &ManifestRemoveOptions{}
	cmd := &cobra.Command{
		Use:   "remove (--entry-point CLASS | --start-page FILE) [--type TYPE]",
		Short: "Remove a background task declaration, or one task type of it",
		Long: `Remove the declaration of an entry point or start page from the --manifest file,
or with --type only that task type (the whole declaration when it is the last
one). An application <Extensions> left empty is removed too. Removing what is
not declared changes nothing (exit 0).

The edit is format-preserving: remove after add gives back the original bytes.
--dry-run prints the change as a unified diff without writing anything.`,
		Example: `  bgtask manifest remove --entry-point Tasks.RawPushTask
  bgtask manifest remove --entry-point Tasks.SyncTask --type timer --dry-run`,
		Args: cobra.NoArgs,
		RunE: func(c *cobra.Command, _ []string) error {
			if runF != nil {
				return runF(opts)
			}
			return runManifestRemove(c.Context(), g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.EntryPoint, "entry-point", "", "the declaration's class, `Namespace.Class`")
	f.StringVar(&opts.StartPage, "start-page", "", "the declaration's script `FILE` (JavaScript apps)")
	f.StringVar(&opts.Type, "type", "", "remove only this task `TYPE` from the declaration")
	f.StringVar(&opts.App, "app", "", "the Application `ID` to edit (needed when the manifest has several)")
	f.BoolVar(&opts.DryRun, "dry-run", false, "print the change as a unified diff and write nothing")
	return cmd
}

func runManifestAdd(ctx context.Context, g *Globals, opts *ManifestAddOptions) error {
	req := manifest.AddRequest{
		Target:     manifest.Target{App: opts.App, EntryPoint: opts.EntryPoint, StartPage: opts.StartPage},
		Executable: opts.Executable,
		Types:      opts.Types,
	}
	return editManifest(ctx, g, opts.DryRun, func(doc *manifest.Document) (manifest.EditResult, error) {
		warnEatenBackslash(g, doc, "--start-page", "StartPage", opts.StartPage)
		warnEatenBackslash(g, doc, "--executable", "Executable", opts.Executable)
		return doc.Add(req)
	})
}

// warnEatenBackslash warns when a path given to add names no folder while
// the manifest's other paths of that kind do: in bash, an unquoted
// js\pushtask.js arrives as jspushtask.js.
func warnEatenBackslash(g *Globals, doc *manifest.Document, flag, attr, value string) {
	other, ok := doc.FoldersElsewhere(attr, value)
	if !ok {
		return
	}
	fmt.Fprintf(g.IO.ErrOut, "%s %s %s names no folder, but this manifest's %s %s does; if you typed a path with \\ in a POSIX shell, the shell removed it: quote the path ('js\\task.js')\n",
		g.ErrPalette().Yellow("warning:"), flag, safetext.Escape(value), attr, safetext.Escape(other))
}

func runManifestRemove(ctx context.Context, g *Globals, opts *ManifestRemoveOptions) error {
	req := manifest.RemoveRequest{
		Target: manifest.Target{App: opts.App, EntryPoint: opts.EntryPoint, StartPage: opts.StartPage},
		Type:   opts.Type,
	}
	return editManifest(ctx, g, opts.DryRun, func(doc *manifest.Document) (manifest.EditResult, error) {
		reg := registryOf(g)
		var before []manifest.Declaration
		if reg != nil {
			before = doc.Declarations()
		}
		res, err := doc.Remove(req)
		if err == nil && res.Changed && reg != nil {
			warnStranded(g, reg, doc.Path, before, res, opts.DryRun)
		}
		return res, err
	})
}

// registryOf is the app's registry (RegistryPath, the one lint pairs with
// the app's manifest) when it holds registrations; nil otherwise. A registry
// that cannot be read is nil too: this is only for a warning, and lint and
// tasks report it.
func registryOf(g *Globals) *tasks.Registry {
	reg, err := tasks.Load(g.RegistryPath())
	if err != nil || len(reg.Registrations) == 0 {
		return nil
	}
	return reg
}

// warnStranded warns about the registrations a removal leaves without the
// declaration they run: Windows keeps them but cannot activate them, and
// bgtask push would still run them, so the user should unregister them too.
func warnStranded(g *Globals, reg *tasks.Registry, manifestPath string, before []manifest.Declaration, res manifest.EditResult, dryRun bool) {
	after := res.Doc
	if after == nil {
		var err error
		if after, err = manifest.Parse(manifestPath, res.Data); err != nil {
			return
		}
	}
	when := ""
	if dryRun {
		when = "if written, "
	}
	p := g.ErrPalette()
	for _, problem := range tasks.Stranded(reg, manifestPath, before, after.Declarations()) {
		fmt.Fprintf(g.IO.ErrOut, "%s %s%s: Windows keeps such a registration but cannot activate it (bgtask lint --explain %s); unregister it too: bgtask unregister --name %s\n",
			p.Yellow("warning:"), when, safetext.Escape(problem.Message), lint.RuleForProblem(problem.Code), safetext.ShellWord(problem.Name))
	}
}

// editManifest runs one edit on the --manifest file. The read, the edit and
// the write happen under the file's lock, so two bgtask processes editing the
// same manifest cannot lose each other's change; the write is atomic, so a
// crash leaves the old file or the new one. A dry run takes no lock and
// writes nothing.
func editManifest(ctx context.Context, g *Globals, dryRun bool, edit func(*manifest.Document) (manifest.EditResult, error)) error {
	path := g.ManifestPath()
	// Edit the file a symlink points at, so the link stays a link.
	target := path
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		target = resolved
	}
	if !dryRun {
		lockCtx, cancel, err := withLockWait(ctx, g)
		if err != nil {
			return err
		}
		defer cancel()
		unlock, err := fsutil.LockTransient(lockCtx, fsutil.UserFileLockPath(target))
		if err != nil {
			return operationalError(fmt.Errorf("manifest %s is in use by another bgtask: %w", path, err))
		}
		defer unlock()
		if err := fsutil.RemoveStaleTemps(target); err != nil {
			return operationalError(err)
		}
	}
	doc, err := loadManifest(path)
	if err != nil {
		return err
	}
	res, err := edit(doc)
	if err != nil {
		if errors.Is(err, manifest.ErrBadRequest) {
			return usageError(fmt.Errorf("%s: %w", path, err))
		}
		return operationalError(err)
	}
	warnNewLintErrors(g, path, doc, res)
	if dryRun {
		fmt.Fprintf(g.IO.ErrOut, "%s: %s (dry run: nothing written)\n", safetext.Escape(path), safetext.Escape(res.Message))
		return writeDiff(g.IO.Out, g.OutPalette(), g.IO.OutTTY, path, res)
	}
	if res.Changed {
		// Either the signal came first and nothing is written, or bgtask
		// exits once the new file is in place.
		release := shutdown.Hold(ctx)
		defer release()
		if err := ctx.Err(); err != nil {
			return operationalError(fmt.Errorf("%s left unchanged: %w", path, err))
		}
		if err := fsutil.WriteFile(target, res.Data, 0o644); err != nil {
			return operationalError(fmt.Errorf("writing %s: %w", path, err))
		}
		g.noteChange("%s: %s", safetext.Escape(path), safetext.Escape(res.Message))
	}
	_, err = fmt.Fprintf(g.IO.Out, "%s: %s\n", safetext.Escape(path), safetext.Escape(res.Message))
	return err
}

// warnNewLintErrors says which errors bgtask lint reports after the edit
// that it did not report before (a pushNotification task added to a Windows
// 8.1 app without a LockScreen: BT010), each with lint's own fix: an edit
// may be one step of several, so it is not refused, but it is never silent.
func warnNewLintErrors(g *Globals, path string, doc *manifest.Document, res manifest.EditResult) {
	if !res.Changed {
		return
	}
	dir := filepath.Dir(path)
	added := lint.NewEditErrors(lint.Source{Path: path, Dir: dir, Data: doc.Data, Doc: doc}, res)
	p := g.ErrPalette()
	for _, f := range added {
		fmt.Fprintf(g.IO.ErrOut, "%s after this change bgtask lint reports %s:%d:%d: %s [%s]\n",
			p.Yellow("warning:"), safetext.Escape(path), f.Line, f.Col, safetext.Escape(f.Message), f.RuleID)
	}
}

// writeDiff prints the edit as a unified diff with git's a/ and b/ labels,
// so `git apply` and `patch -p1` take it as is. On a terminal the lines of
// the file it quotes are escaped (safetext), as every other view of the file
// is; piped, the diff is the file's exact bytes.
func writeDiff(w io.Writer, p Palette, tty bool, path string, res manifest.EditResult) error {
	diff, err := res.Diff(strings.TrimPrefix(filepath.ToSlash(path), "/"))
	if err != nil {
		return operationalError(err)
	}
	if !tty && !p.Enabled() {
		_, err := io.WriteString(w, diff)
		return err
	}
	for _, line := range strings.SplitAfter(diff, "\n") {
		if tty {
			// A CR before the LF (a Visual Studio manifest) is kept: it moves
			// nothing the LF does not.
			body := strings.TrimRight(line, "\r\n")
			line = safetext.Line(body) + line[len(body):]
		}
		switch {
		case strings.HasPrefix(line, "+++"), strings.HasPrefix(line, "---"):
			line = p.Bold(line)
		case strings.HasPrefix(line, "+"):
			line = p.Green(line)
		case strings.HasPrefix(line, "-"):
			line = p.Red(line)
		case strings.HasPrefix(line, "@@"):
			line = p.Cyan(line)
		}
		if _, err := io.WriteString(w, line); err != nil {
			return err
		}
	}
	return nil
}
