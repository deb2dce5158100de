package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/internal/scaffold"
	"github.com/bgtask/bgtask/pkg/manifest"
)

// PluginNewOptions are plugin new's flags and argument.
type PluginNewOptions struct {
	Dir         string
	Module      string
	EntryPoints []string
	Replace     string
}

// NewCmdPluginNew builds `bgtask plugin new`.
func NewCmdPluginNew(g *Globals) *cobra.Command {
	opts := &PluginNewOptions{}
	cmd := &cobra.Command{
		Use:   "new [DIR]",
		Short: "Start a Go task plugin with a stub for every entry point the manifest declares",
		Long: `Create DIR (default "plugin") with a Go module that is a task plugin: a task stub
for every entry point the app's manifest declares (or each --entry-point), ready
to build and to pass bgtask plugin check as generated.

The module requires the SDK, github.com/bgtask/bgtask. With a released bgtask
that is the version of this binary; from a checkout of bgtask, give
--replace PATH-TO-CHECKOUT (or use a go.work), see docs/plugins.md.

DIR must not exist, or be empty. Nothing is written on error.`,
		Example: `  bgtask plugin new
  bgtask plugin new tasks --module example.com/contoso/tasks
  bgtask plugin new --entry-point Tasks.SyncTask --replace ../bgtask`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(c *cobra.Command, args []string) error {
			opts.Dir = "plugin"
			if len(args) == 1 {
				opts.Dir = args[0]
			}
			return runPluginNew(g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Module, "module", "", "the module path (default example.com/ and DIR's name)")
	f.StringArrayVar(&opts.EntryPoints, "entry-point", nil, "write a task for this entry point instead of the manifest's (repeatable)")
	f.StringVar(&opts.Replace, "replace", "", "a bgtask checkout to use for the SDK (a replace directive in go.mod)")
	return cmd
}

func runPluginNew(g *Globals, opts *PluginNewOptions) error {
	eps := opts.EntryPoints
	manifestPath := ""
	if len(eps) == 0 {
		manifestPath = g.ManifestPath()
		doc, err := loadManifest(manifestPath)
		if err != nil {
			return fmt.Errorf("%w\n  plugin new writes a task for each entry point the manifest declares; --entry-point names them instead", err)
		}
		for _, d := range doc.Declarations() {
			if d.EntryPoint != "" {
				eps = append(eps, d.EntryPoint)
			}
		}
		if len(eps) == 0 {
			return usageErrorf("%s declares no background task with an EntryPoint; declare one (bgtask manifest add) or give --entry-point", safetext.Escape(manifestPath))
		}
	}
	// A task class is named once, however often it is declared or given.
	seen := map[string]bool{}
	unique := eps[:0:0]
	for _, ep := range eps {
		if !seen[ep] {
			seen[ep] = true
			unique = append(unique, ep)
		}
	}
	eps = unique
	for _, ep := range opts.EntryPoints {
		var invalid *manifest.InvalidValueError
		if errors.As(manifest.CheckEntryPoint(ep), &invalid) {
			return usageErrorf("--entry-point %s %s; an entry point is the task class's full name, Namespace.Class (for example Tasks.ExampleBackgroundTask), as manifest add takes it",
				safetext.ShellWord(ep), invalid.Reason)
		}
	}
	if err := checkEmptyDir(opts.Dir); err != nil {
		return usageError(err)
	}
	module := opts.Module
	if module == "" {
		abs, err := filepath.Abs(opts.Dir)
		if err != nil {
			return operationalError(err)
		}
		module = "example.com/" + moduleName(filepath.Base(abs))
	}
	replace := opts.Replace
	if replace != "" {
		if _, err := os.Stat(filepath.Join(replace, "go.mod")); err != nil {
			return usageErrorf("--replace %s: not a checkout of bgtask (no go.mod there)", safetext.Escape(replace))
		}
		// go.mod resolves a relative replace from its own folder, not ours.
		if !filepath.IsAbs(replace) {
			abs, err := filepath.Abs(replace)
			if err != nil {
				return operationalError(err)
			}
			if rel, err := filepath.Rel(mustAbsDir(opts.Dir), abs); err == nil {
				replace = rel
			}
			if !strings.HasPrefix(replace, ".") {
				replace = "." + string(filepath.Separator) + replace
			}
		}
		replace = filepath.ToSlash(replace)
	}
	files, err := scaffold.Generate(scaffold.Options{
		Module:      module,
		EntryPoints: eps,
		GoVersion:   goDirective(),
		SDKVersion:  sdkVersion(),
		Replace:     replace,
		Manifest:    filepath.ToSlash(manifestPath),
	})
	if err != nil {
		return usageError(err)
	}
	if err := os.MkdirAll(opts.Dir, 0o755); err != nil {
		return operationalError(err)
	}
	for _, f := range files {
		if err := fsutil.WriteFile(filepath.Join(opts.Dir, filepath.FromSlash(f.Path)), f.Data, 0o644); err != nil {
			return operationalError(err)
		}
	}
	g.noteChange("the plugin was written to %s", safetext.Escape(opts.Dir)) // said if the report below cannot be written
	out := g.IO.Out
	p := g.OutPalette()
	fmt.Fprintf(out, "%s %s: module %s, %d task(s): %s\n", p.Green("created"), safetext.Escape(opts.Dir), module, len(eps), safetext.Escape(strings.Join(eps, ", ")))
	fmt.Fprintf(out, "next:\n  cd %s\n", safetext.Escape(opts.Dir))
	switch {
	case replace == "" && sdkVersion() == "":
		fmt.Fprintf(out, "  go mod edit -replace %s=PATH-TO-BGTASK-CHECKOUT   # this bgtask is a development build; or: go get %s@latest\n", scaffold.SDKModule, scaffold.SDKModule)
	case replace == "":
		// The SDK comes from the module proxy, and go.sum needs its checksum.
		fmt.Fprintf(out, "  go mod tidy\n")
	}
	fmt.Fprintf(out, "  go build -o task .\n  bgtask plugin check ./task\n")
	if len(opts.EntryPoints) > 0 {
		noteUndeclared(g, eps)
	}
	return nil
}

// noteUndeclared says which of the entry points given with --entry-point
// the app's manifest does not declare: register refuses those, as Windows
// does, so the next step is manifest add. Without a readable manifest there
// is nothing to compare with, and nothing is said.
func noteUndeclared(g *Globals, eps []string) {
	path := g.ManifestPath()
	doc, err := manifest.Load(path)
	if err != nil {
		return
	}
	declared := map[string]bool{}
	for _, d := range doc.Declarations() {
		declared[d.EntryPoint] = true
	}
	for _, ep := range eps {
		if !declared[ep] {
			fmt.Fprintf(g.IO.ErrOut, "%s %s does not declare %s, and register refuses an entry point the manifest does not declare; declare it: bgtask manifest add --entry-point %s --type pushNotification\n",
				g.ErrPalette().Yellow("note:"), safetext.Escape(path), safetext.Escape(ep), safetext.ShellWord(ep))
		}
	}
}

// checkEmptyDir refuses to write into a folder that has files: a scaffold
// never overwrites someone's work.
func checkEmptyDir(dir string) error {
	entries, err := os.ReadDir(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("%s: %w", safetext.Escape(dir), unwrapPath(err))
	case len(entries) > 0:
		return fmt.Errorf("%s is not empty; plugin new writes only into a new or empty folder", safetext.Escape(dir))
	}
	return nil
}

func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func mustAbsDir(dir string) string {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// moduleName makes a folder name usable as a module path element.
func moduleName(base string) string {
	name := strings.ToLower(regexp.MustCompile(`[^A-Za-z0-9._~-]+`).ReplaceAllString(base, "-"))
	name = strings.Trim(name, ".-")
	if name == "" {
		return "plugin"
	}
	return name
}

// goDirective is the language version of the toolchain that built bgtask
// (go1.26.3 -> 1.26.0): the SDK needs that language version, and asking for
// a later patch release than that would only get in the way.
func goDirective() string {
	if info, ok := debug.ReadBuildInfo(); ok {
		if m := regexp.MustCompile(`^go(\d+\.\d+)(\.\d+)?$`).FindStringSubmatch(info.GoVersion); m != nil {
			return m[1] + ".0"
		}
	}
	return "1.26.0"
}

// sdkVersion is the release of bgtask this binary is, for go.mod's require;
// "" for a development build, which no proxy has.
func sdkVersion() string {
	v := ToolVersion()
	if regexp.MustCompile(`^v\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`).MatchString(v) {
		return v
	}
	return ""
}
