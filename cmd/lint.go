package cmd

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/app"
	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/lint"
)

// LintOptions are the lint command's flags and arguments.
type LintOptions struct {
	Paths      []string
	Format     string
	Strict     bool
	ListRules  bool
	Explain    string
	NoRegistry bool
	JSON       bool
	Disable    []string
	Enable     []string
	Config     string
	NoConfig   bool
	RunPlugins bool
}

// lintFormats are the values --format accepts.
func lintFormats() []string { return []string{"text", "json", "sarif", "github"} }

// NewCmdLint builds `bgtask lint`. `bgtask manifest lint` is the same
// command: the manifest command adds NewCmdLint(g) as a subcommand.
func NewCmdLint(g *Globals) *cobra.Command {
	opts := &LintOptions{}
	cmd := &cobra.Command{
		Use:   "lint [PATH...]",
		Short: "Check manifests (and the registry) for background task mistakes",
		Long: `Check app manifests for background task mistakes, the way Windows' packaging and
Register() would find them, and cross-check the task registry and its plugins.

PATH is a manifest file or a folder; folders are searched recursively for
*.appxmanifest and AppxManifest.xml (skipping .git, .vs, bin, obj and
node_modules). With no PATH, the app's manifest is linted: --manifest, or the
nearest Package.appxmanifest from the working folder upward.

Each Package.appxmanifest linted is cross-checked against its own registry,
the .bgtask/registry.json beside it, when that exists; the app's manifest
against --registry or $BGTASK_REGISTRY when given. --no-registry skips it.

Rules are silenced with --disable ID, with a .bgtask-lint.json configuration file
(rules off or on, severities, paths to ignore; found from the working folder
upward), or for one element with a <!-- bgtask-lint-disable ID --> comment just
above it; the command line wins over the file (docs/lint.md, "Silencing findings").

Linting is static: it reads files and runs nothing. A registry names plugin
executables, and in CI a pull request can change it, so lint only checks that
they exist. --run-plugins also starts each one to ask which entry points it
serves (BT020, BT021): use it only on a registry you trust.

Every finding has a stable rule ID; --list-rules lists them and --explain ID says
what a rule checks, why, how to fix it and where the Windows fact comes from.
The rules are documented in docs/lint.md.

Exit status: 0 no errors (warnings allowed unless --strict), 1 errors found
(a manifest that is not well-formed XML is a BT001 error, so it is 1 too),
2 bad usage or input that cannot be read (a missing path, a folder with no
manifest, a corrupt registry).`,
		Example: `  bgtask lint
  bgtask lint src/ --format github
  bgtask lint --format sarif > bgtask.sarif
  bgtask lint --explain BT004`,
		RunE: func(c *cobra.Command, args []string) error {
			opts.Paths = args
			return runLint(c, g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Format, "format", "text", "output format: "+strings.Join(lintFormats(), ", "))
	f.BoolVar(&opts.Strict, "strict", false, "exit 1 on warnings too")
	f.BoolVar(&opts.ListRules, "list-rules", false, "list every rule and exit")
	f.StringVar(&opts.Explain, "explain", "", "explain rule `ID` (for example BT004) and exit")
	f.BoolVar(&opts.NoRegistry, "no-registry", false, "do not cross-check the registry and its plugins")
	f.BoolVar(&opts.JSON, "json", false, "the same as --format json")
	f.StringSliceVar(&opts.Disable, "disable", nil, "turn rule `ID` off (repeatable, or comma-separated; IDs or names)")
	f.StringSliceVar(&opts.Enable, "enable", nil, "turn rule `ID` on, even if the configuration file turns it off")
	f.StringVar(&opts.Config, "config", "", "the lint configuration file (default: the nearest "+lint.ConfigName+" from the working folder upward)")
	f.BoolVar(&opts.NoConfig, "no-config", false, "ignore any lint configuration file")
	f.BoolVar(&opts.RunPlugins, "run-plugins", false, "also start each registered plugin to ask which entry points it serves (runs code the registry names)")
	return cmd
}

func runLint(c *cobra.Command, g *Globals, opts *LintOptions) error {
	batchGC()
	if opts.JSON {
		if c.Flags().Changed("format") && opts.Format != "json" {
			return usageErrorf("--json is --format json; give one or the other")
		}
		opts.Format = "json"
	}
	if !slices.Contains(lintFormats(), opts.Format) {
		return usageErrorf("--format %q is not one of %s", opts.Format, strings.Join(lintFormats(), ", "))
	}
	out := g.IO.Out
	switch {
	case opts.Explain != "":
		r, ok := lint.RuleByID(opts.Explain)
		if !ok {
			return usageErrorf("no rule %q; bgtask lint --list-rules lists them", opts.Explain)
		}
		_, err := io.WriteString(out, r.Info().Explanation())
		return err
	case opts.ListRules:
		return writeBuffered(out, func(w io.Writer) error { return writeRuleList(w, opts.Format) })
	}

	cwd, err := os.Getwd()
	if err != nil {
		return operationalError(err)
	}
	paths := opts.Paths
	if len(paths) == 0 {
		paths = []string{g.ManifestPath()}
	}
	// The search notes which folders hold a .bgtask, so that no registry
	// is looked for where none can be.
	found, err := lint.Search(paths, app.StateDir)
	files, skipped := found.Files, found.Skipped
	for _, s := range skipped {
		fmt.Fprintf(g.IO.ErrOut, "%s skipped %s\n", g.ErrPalette().Yellow("note:"), safetext.Escape(s))
	}
	if err != nil {
		if len(opts.Paths) == 0 && !g.AppFound() && g.manifestFlag == "" {
			// No path given and no app found: what to do, as manifest list says it.
			err = fmt.Errorf("%w; run bgtask lint in the app folder (where %s is) or below it, or give the manifests or folders to lint", err, DefaultManifest)
		}
		return usageError(err)
	}
	cfg, err := lintConfig(opts, cwd)
	if err != nil {
		return usageError(err)
	}
	selection, err := lint.Select(cfg, opts.Disable, opts.Enable)
	if err != nil {
		return usageError(err)
	}
	files = withoutIgnored(cfg, files, paths)

	base := lintPathBase(cwd, opts.Format)
	linterOpts := []lint.Option{lint.WithRules(selection.Rules...), lint.WithSeverity(selection.Severity)}
	var registries []string
	if !opts.NoRegistry {
		var describe func(string) ([]string, error)
		if opts.RunPlugins {
			describe = lint.DescribePlugins(c.Context())
		}
		var manifests, registryPaths []string
		for _, pair := range lintPairs(g, files, found) {
			manifests, registryPaths = append(manifests, pair.manifest), append(registryPaths, pair.registry)
		}
		projects, err := lint.LoadProjects(base, manifests, registryPaths)
		if err != nil {
			return usageError(err)
		}
		for _, project := range projects {
			if project != nil {
				project.Describe = describe
				linterOpts = append(linterOpts, lint.WithProject(project))
				registries = append(registries, project.RegistryPath)
			}
		}
	}
	linter := lint.New(linterOpts...)

	report := lint.Report{ToolVersion: ToolVersion()}
	for _, r := range lint.Rules() {
		report.Rules = append(report.Rules, r.Info())
	}
	displays := lint.DisplayPaths(base, files)
	var unreadable []string
	for i, res := range linter.LintFiles(displays, files) {
		if res.Err != nil {
			unreadable = append(unreadable, res.Err.Error())
			continue
		}
		report.Files = append(report.Files, displays[i])
		report.Findings = append(report.Findings, res.Findings...)
	}
	lint.SortFindings(report.Findings)

	if err := writeLintReport(g, report, opts.Format, registries); err != nil {
		return operationalError(err)
	}
	if len(unreadable) > 0 {
		return usageErrorf("cannot read %s", strings.Join(unreadable, "; "))
	}
	errs, warnings := lint.Count(report.Findings)
	if errs > 0 || (opts.Strict && warnings > 0) {
		return silentExit(ExitFailure)
	}
	return nil
}

// lintPathBase is the folder findings name files relative to: the working
// folder, except in the CI formats (sarif, github), whose paths GitHub
// resolves against the repository root: there, when bgtask runs in a
// subfolder of a Git work tree, paths start from the work tree's root.
func lintPathBase(cwd, format string) string {
	if format != "sarif" && format != "github" {
		return cwd
	}
	for dir := cwd; ; {
		if _, err := os.Stat(filepath.Join(dir, ".git")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return cwd
		}
		dir = parent
	}
}

// lintPair is a manifest and the registry it is cross-checked against.
type lintPair struct{ manifest, registry string }

// lintPairs pairs each linted manifest with its registry: the app's manifest
// (--manifest, or the one found from the working folder upward) with the
// app's registry (--registry, $BGTASK_REGISTRY or the one beside it), and
// every other Package.appxmanifest of a linted tree with the
// .bgtask/registry.json beside it, so each app of a repository is checked
// against its own registrations (none where the search read the folder and
// it holds no .bgtask).
func lintPairs(g *Globals, files []string, found *lint.Found) []lintPair {
	appManifest := g.ManifestPath()
	// Read once, not once per linted file.
	appInfo, appErr := os.Stat(appManifest)
	var pairs []lintPair
	for _, f := range files {
		switch {
		case appErr == nil && isFile(f, appInfo):
			pairs = append(pairs, lintPair{f, g.RegistryPath()})
		case strings.EqualFold(filepath.Base(f), app.ManifestName) && found.MayHaveBeside(f):
			pairs = append(pairs, lintPair{f, app.RegistryBeside(f)})
		}
	}
	return pairs
}

// isFile reports whether the file at path is the one described by info.
func isFile(path string, info os.FileInfo) bool {
	fi, err := os.Stat(path)
	return err == nil && os.SameFile(fi, info)
}

// lintConfig is --config, else the nearest configuration file from the
// working folder upward, unless --no-config.
func lintConfig(opts *LintOptions, cwd string) (*lint.Config, error) {
	switch {
	case opts.NoConfig && opts.Config != "":
		return nil, fmt.Errorf("give --config or --no-config, not both")
	case opts.NoConfig:
		return nil, nil
	case opts.Config != "":
		return lint.LoadConfig(opts.Config)
	}
	path, ok := lint.FindConfig(cwd)
	if !ok {
		return nil, nil
	}
	return lint.LoadConfig(path)
}

// withoutIgnored drops the manifests a folder search found that the
// configuration ignores; a file named on the command line is always linted.
func withoutIgnored(cfg *lint.Config, files, paths []string) []string {
	if cfg == nil {
		return files
	}
	named := map[string]bool{}
	for _, p := range paths {
		if info, err := os.Stat(p); err == nil && !info.IsDir() {
			named[filepath.Clean(p)] = true
		}
	}
	kept := files[:0:0]
	for _, f := range files {
		if named[filepath.Clean(f)] || !cfg.Ignored(f) {
			kept = append(kept, f)
		}
	}
	return kept
}

func writeLintReport(g *Globals, report lint.Report, format string, registries []string) error {
	out := g.IO.Out
	switch format {
	case "json":
		return lint.WriteJSON(out, report)
	case "sarif":
		return lint.WriteSARIF(out, report)
	case "github":
		return writeBuffered(out, func(w io.Writer) error { return lint.WriteGitHub(w, report) })
	}
	p := g.OutPalette()
	style := lint.TextStyle{
		Location: func(s string) string { return p.Bold(s) },
		Error:    func(s string) string { return p.Red(s) },
		Warning:  func(s string) string { return p.Yellow(s) },
		RuleID:   func(s string) string { return p.Faint(s) },
	}
	if err := writeBuffered(out, func(w io.Writer) error { return lint.WriteText(w, report, style) }); err != nil {
		return err
	}
	// The summary goes to stderr so stdout stays one finding per line.
	errs, warnings := lint.Count(report.Findings)
	ep := g.ErrPalette()
	summary := fmt.Sprintf("%s, %s in %s", lintPlural(errs, "error"), lintPlural(warnings, "warning"), lintPlural(len(report.Files), "manifest"))
	// The registry in the working folder goes without saying; any other is
	// named, so a user sees which registrations were cross-checked.
	if len(registries) > 1 || (len(registries) == 1 && registries[0] != DefaultRegistry) {
		summary += fmt.Sprintf(" (registry %s)", safetext.Escape(strings.Join(registries, ", ")))
	}
	switch {
	case errs > 0:
		summary = ep.Red(summary)
	case warnings > 0:
		summary = ep.Yellow(summary)
	default:
		summary = ep.Green(summary)
	}
	_, err := fmt.Fprintln(g.IO.ErrOut, summary)
	return err
}

func writeRuleList(w io.Writer, format string) error {
	var infos []lint.RuleInfo
	for _, r := range lint.Rules() {
		infos = append(infos, r.Info())
	}
	if format == "json" {
		return writeJSON(w, struct {
			Version int             `json:"version"`
			Rules   []lint.RuleInfo `json:"rules"`
		}{jsonVersion, infos})
	}
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	for _, info := range infos {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\n", info.ID, info.Severity, info.Name, info.Short)
	}
	return tw.Flush()
}

func lintPlural(n int, word string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", word)
	}
	return fmt.Sprintf("%d %ss", n, word)
}
