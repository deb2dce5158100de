// Package cmd is bgtask's command-line surface: flags, calling into pkg/,
// and rendering. It holds no logic of its own.
package cmd

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/app"
	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/internal/shutdown"
	"github.com/bgtask/bgtask/internal/version"
	"github.com/bgtask/bgtask/pkg/simulate"
)

// Version is set at build time with -ldflags "-X github.com/bgtask/bgtask/cmd.Version=...".
// Unstamped, the version comes from the build information (ToolVersion).
var Version = version.Unstamped

// ToolVersion is what --version and reports say: Version if stamped, else the
// module version or VCS revision the Go toolchain recorded.
func ToolVersion() string { return version.Get(Version) }

// DefaultManifest and DefaultRegistry are what --manifest and --registry
// mean when no app folder is found from the working folder upward.
const (
	DefaultManifest = app.ManifestName
	DefaultRegistry = app.StateDir + "/" + app.RegistryName
	RegistryEnv     = "BGTASK_REGISTRY"
)

// Globals is what every command gets: its streams and the root's flags.
// It plays the part of gh's Factory: commands reach for nothing else.
type Globals struct {
	IO *IOStreams

	manifestFlag string
	registryFlag string
	NoColor      bool

	// The app folder, found on first use (app.Find from the working folder).
	located bool
	found   bool
	loc     app.Location
	noted   bool

	changes []string // what the command changed for good (noteChange, output.go)
}

// ManifestPath is the app manifest commands work on: --manifest if given,
// else the Package.appxmanifest of the app folder found from the working
// folder upward (as git finds its repository), else Package.appxmanifest in
// the working folder (which may not exist: the command then says so).
func (g *Globals) ManifestPath() string {
	if g.manifestFlag != "" {
		return g.manifestFlag
	}
	if loc, ok := g.app(); ok {
		g.noteApp()
		return g.relative(loc.Manifest)
	}
	return DefaultManifest
}

// RegistryPath is the task registry: --registry if given, else
// $BGTASK_REGISTRY, else .bgtask/registry.json in the app folder found from
// the working folder upward, else .bgtask/registry.json in the working folder.
func (g *Globals) RegistryPath() string {
	if p, ok := g.RegistryOverride(); ok {
		return p
	}
	if loc, ok := g.app(); ok {
		g.noteApp()
		return g.relative(loc.Registry)
	}
	return filepath.FromSlash(DefaultRegistry)
}

// RegistryOverride is the registry named by --registry or $BGTASK_REGISTRY,
// if either is set: such a registry belongs to ManifestPath, not to the
// folder of every manifest a command meets.
func (g *Globals) RegistryOverride() (string, bool) {
	if g.registryFlag != "" {
		return g.registryFlag, true
	}
	if env := g.IO.Getenv(RegistryEnv); env != "" {
		return env, true
	}
	return "", false
}

// AppFound reports whether an app folder was found from the working folder
// upward (not whether --manifest was given).
func (g *Globals) AppFound() bool {
	_, ok := g.app()
	return ok
}

func (g *Globals) app() (app.Location, bool) {
	if !g.located {
		g.located = true
		if cwd, err := os.Getwd(); err == nil {
			g.loc, g.found = app.Find(cwd)
		}
	}
	return g.loc, g.found
}

// outsideApp reports whether no app folder was found from the working
// folder upward and no --registry or $BGTASK_REGISTRY names a registry.
func (g *Globals) outsideApp() bool {
	_, overridden := g.RegistryOverride()
	return !overridden && !g.AppFound()
}

// noteNoApp explains an empty registry that is empty because bgtask was run
// outside any app folder (and no --registry named one): the commonest reason
// a first push is dropped.
func (g *Globals) noteNoApp() {
	if g.outsideApp() {
		fmt.Fprintf(g.IO.ErrOut, "note: no %s or %s folder in this folder or above it; run bgtask in the app's folder, or give --manifest or --registry\n", DefaultManifest, app.StateDir)
	}
}

// relative names path from the working folder, which is shorter and what
// the user typed paths against; it stays absolute if that fails.
func (g *Globals) relative(path string) string {
	cwd, err := os.Getwd()
	if err != nil {
		return path
	}
	if rel, err := filepath.Rel(cwd, path); err == nil {
		return rel
	}
	return path
}

// noteApp says, once, which app folder is used when it is not the working
// folder: a command run in a subfolder must not silently act on files the
// user cannot see from there.
func (g *Globals) noteApp() {
	if g.noted || !g.found {
		return
	}
	g.noted = true
	cwd, err := os.Getwd()
	if err != nil || sameDir(cwd, g.loc.Root) {
		return
	}
	var what []string
	if g.manifestFlag == "" {
		what = append(what, "manifest "+g.relative(g.loc.Manifest))
	}
	if _, ok := g.RegistryOverride(); !ok {
		what = append(what, "registry "+g.relative(g.loc.Registry))
	}
	if len(what) == 0 {
		return
	}
	fmt.Fprintf(g.IO.ErrOut, "%s using the app in %s: %s\n", g.ErrPalette().Faint("bgtask:"), safetext.Escape(g.relative(g.loc.Root)), safetext.Escape(strings.Join(what, ", ")))
}

func sameDir(a, b string) bool {
	ia, errA := os.Stat(a)
	ib, errB := os.Stat(b)
	if errA != nil || errB != nil {
		return filepath.Clean(a) == filepath.Clean(b)
	}
	return os.SameFile(ia, ib)
}

// colorAllowed is the one place that decides whether colour may be used at all.
func (g *Globals) colorAllowed() bool {
	return !g.NoColor && g.IO.Getenv("NO_COLOR") == "" && g.IO.Getenv("TERM") != "dumb"
}

// OutPalette colours standard output, only when it is a terminal.
func (g *Globals) OutPalette() Palette { return Palette{enabled: g.colorAllowed() && g.IO.OutTTY} }

// ErrPalette colours standard error, only when it is a terminal.
func (g *Globals) ErrPalette() Palette { return Palette{enabled: g.colorAllowed() && g.IO.ErrTTY} }

// NewRootCmd builds the whole command tree around g.
func NewRootCmd(g *Globals) *cobra.Command {
	return newRoot(g, func(string) bool { return true })
}

// rootFor builds the part of the tree that running args needs: the one
// top-level command args name, or none at all for a bare --version, so that
// a start pays for the flags and subcommands of the command run, not for
// those of every command. Whenever that is less plain (no command named, help,
// completion, a name that is no command, flags that do not parse), it builds
// the whole tree, so help, suggestions and errors are the whole tree's.
// Which command args name is found by cobra's own Find, on a root with the
// same flags and a stand-in for each top-level command.
func rootFor(g *Globals, args []string) *cobra.Command {
	probe := bareRoot(&Globals{IO: g.IO}, "probe")
	for _, sub := range subcommands() {
		probe.AddCommand(&cobra.Command{Use: sub.name, Run: func(*cobra.Command, []string) {}})
	}
	found, _, err := probe.Find(args)
	switch {
	case err != nil:
	case found != probe:
		name := found.Name()
		return newRoot(g, func(n string) bool { return n == name })
	case versionOnly(probe, args):
		return newRoot(g, func(string) bool { return false })
	}
	return NewRootCmd(g)
}

// versionOnly reports whether args, naming no command, make root print its
// version and nothing else: the flags parse, --version is given, --help is
// not, and no argument is left over.
func versionOnly(root *cobra.Command, args []string) bool {
	root.InitDefaultHelpFlag()
	root.InitDefaultVersionFlag()
	if err := root.ParseFlags(args); err != nil || root.Flags().NArg() > 0 {
		return false
	}
	help, errHelp := root.Flags().GetBool("help")
	version, errVersion := root.Flags().GetBool("version")
	return errHelp == nil && errVersion == nil && version && !help
}

// newRoot builds the root and those top-level commands that want(name).
func newRoot(g *Globals, want func(name string) bool) *cobra.Command {
	root := bareRoot(g, ToolVersion())
	for _, sub := range subcommands() {
		if want(sub.name) {
			root.AddCommand(sub.build(g))
		}
	}
	// Flag values for shell completion are only needed by cobra's hidden
	// __complete command (what completion scripts run), so they are
	// registered when that command runs, not at every start.
	//
	// A command's work starts once the stop signals are caught (Main asks
	// for them while the tree is built): before that, a signal would end it
	// by its default action, without saying why. --version and help return
	// before this runs, and need no waiting.
	root.PersistentPreRun = func(c *cobra.Command, _ []string) {
		shutdown.WaitCaught(c.Context())
		if c.Name() == cobra.ShellCompRequestCmd {
			completeFlagValues(g, root)
		}
	}
	strictSubcommands(root)
	return root
}

// bareRoot is the root command with its own flags and no subcommands.
func bareRoot(g *Globals, version string) *cobra.Command {
	root := &cobra.Command{
		Use:   "bgtask",
		Short: "Declare, lint, register and push-test Windows background tasks",
		Long: `bgtask brings the loop of a Windows app that handles WNS raw push notifications in a
background task onto your machine and into CI: declare tasks in Package.appxmanifest, lint
the declarations, register tasks with Windows' rules, and deliver simulated raw
notifications to compiled task plugins.`,
		Version:       version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(g.IO.In)
	root.SetOut(g.IO.Out)
	root.SetErr(g.IO.ErrOut)
	root.SetFlagErrorFunc(flagUsageError)

	pf := root.PersistentFlags()
	pf.StringVar(&g.manifestFlag, "manifest", "", "path to the app's Package.appxmanifest (default: the nearest one from the working folder upward)")
	pf.StringVar(&g.registryFlag, "registry", "", "path to the task registry (default: $"+RegistryEnv+", else "+DefaultRegistry+" in the app folder found from the working folder upward; --manifest does not move it)")
	pf.BoolVar(&g.NoColor, "no-color", false, "never colour output (NO_COLOR in the environment does the same)")
	return root
}

// subcommand is a top-level command: the name it is run by (the first word
// of its Use; TestSubcommandNames checks it) and what builds it.
type subcommand struct {
	name  string
	build func(*Globals) *cobra.Command
}

// subcommands lists every top-level command; each lives in its own file. (A
// function, not a variable: quickstart runs commands through Execute.)
func subcommands() []subcommand {
	return []subcommand{
		{"manifest", NewCmdManifest},
		{"lint", NewCmdLint},
		{"register", NewCmdRegister},
		{"unregister", NewCmdUnregister},
		{"tasks", NewCmdTasks},
		{"plugin", NewCmdPlugin},
		{"push", NewCmdPush},
		{"trigger", NewCmdTrigger},
		{"channel", NewCmdChannel},
		{"serve", NewCmdServe},
		{"quickstart", NewCmdQuickstart},
	}
}

// Execute runs bgtask with args and returns the process exit code.
func Execute(ctx context.Context, io *IOStreams, args []string) int {
	return execute(ctx, io, args, rootFor)
}

// execute is Execute with the tree built by build (tests compare rootFor's
// with the whole tree's).
func execute(ctx context.Context, io *IOStreams, args []string, build func(*Globals, []string) *cobra.Command) int {
	io, watch := watchOutput(io)
	g := &Globals{IO: io}
	root := build(g, args)
	// Flag parsing may fail before it reaches --no-color; the error about
	// that must still honour it. (Defining the flag reset g.NoColor, so this
	// comes after building the tree.)
	g.NoColor = noColorRequested(args)
	root.SetArgs(args)
	err := watch.verdict(g, root.ExecuteContext(ctx))
	if err != nil {
		var ee *ExitError
		if !errors.As(err, &ee) || !ee.Silent {
			// Errors quote manifests, registries and plugins: escaped (safetext).
			fmt.Fprintf(io.ErrOut, "%s %s\n", g.ErrPalette().Red("bgtask:"), safetext.Lines(err.Error()))
		}
	}
	return exitCode(err)
}

// noColorRequested reports whether args ask for --no-color, before "--".
func noColorRequested(args []string) bool {
	for _, a := range args {
		switch a {
		case "--":
			return false
		case "--no-color", "--no-color=true":
			return true
		}
	}
	return false
}

// Main is Execute under signal handling. Ctrl-C, SIGTERM and SIGHUP (a
// closed terminal, a dropped SSH session) cancel the command's context: a
// running task plugin is cancelled and reaped (a second signal kills it at
// once), a file being replaced is finished or left untouched, and the
// process then exits with 128+signal (see exitSignaled) without waiting for
// the rest of the command. A write to a closed stdout or stderr (a pipe into
// `head -1`) fails with EPIPE instead of killing bgtask with SIGPIPE, so
// plugins are never left running because the output's reader went away.
func Main(io *IOStreams, args []string) int {
	// bgtask starts no child processes but plugins: it may adopt and reap
	// the orphans they leave, which makes the sweep below cheap.
	simulate.AdoptOrphans()
	code, restoreSignals := mainUnderSignals(io, args)
	// Processes the plugins started and that left their process groups
	// (setsid) are ended too, where the system lets bgtask find them. Their
	// kills can take a few rounds: the signals get their default actions
	// back first, so that Ctrl-C stops bgtask meanwhile. Otherwise the
	// process exits as Main returns, and handing the signals back would only
	// cost a round trip with the runtime's signal thread for each.
	if pids := simulate.EndEscaped(restoreSignals); len(pids) > 0 {
		fmt.Fprintf(io.ErrOut, "bgtask: killed %d process(es) that task plugins started outside their process groups: pids %v\n", len(pids), pids)
	}
	return code
}

// mainUnderSignals runs the command, stopped cleanly by a signal; restore
// gives the signals their default actions back.
func mainUnderSignals(io *IOStreams, args []string) (code int, restore func()) {
	sigs := make(chan os.Signal, 2)
	// Asking for a signal is a round trip with the runtime's signal thread,
	// which it first starts: about 0.3 ms for these three, a tenth of
	// `bgtask --version`. So they are asked for on a goroutine while the
	// command tree is built; the command's own work waits until they are
	// caught (root's PersistentPreRun), and so does a hold (shutdown.Hold).
	// A signal before that ends bgtask as one during the runtime's own
	// start does; --version and help never wait.
	sigsCaught := make(chan struct{})
	go func() {
		signal.Notify(sigs, stopSignals()...)
		close(sigsCaught)
	}()
	// Go kills a program that writes to a broken stdout or stderr unless it
	// asks for SIGPIPE; asked for, the write returns EPIPE. Not ignored
	// (SIG_IGN would be inherited by plugins); the channel is never read.
	pipe := make(chan os.Signal, 1)
	signal.Notify(pipe, syscall.SIGPIPE)
	restore = func() {
		<-sigsCaught
		signal.Stop(pipe)
		signal.Stop(sigs)
	}
	return runUntilStopped(io, args, sigs, sigsCaught), restore
}

// runUntilStopped runs the command; a signal on sigs cancels it, and a
// second one forces it. sigsCaught is closed once sigs receives them.
func runUntilStopped(io *IOStreams, args []string, sigs <-chan os.Signal, sigsCaught <-chan struct{}) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	ctx, guard := shutdown.WithGuard(ctx, sigsCaught)
	done := make(chan int, 1)
	go func() { done <- Execute(ctx, io, args) }()
	var sig os.Signal
	select {
	case code := <-done:
		return code
	case sig = <-sigs:
	}
	cancel()
	for {
		select {
		case code := <-done:
			if guard.StopIsNormal() {
				return code
			}
			return exitSignaled(sig)
		case <-guard.Idle():
			// Nothing needs finishing; what is left of the command only
			// reads or prints, and stopping it is what the user asked. A
			// command that has ended a plugin gets a moment to report how.
			wait := time.Duration(0)
			if guard.Held() {
				wait = reportWait
			}
			select {
			case code := <-done:
				if guard.StopIsNormal() {
					return code
				}
			case <-time.After(wait):
				fmt.Fprintf(io.ErrOut, "bgtask: stopped by %s\n", signalName(sig))
			}
			return exitSignaled(sig)
		case <-sigs:
			guard.Force()
		}
	}
}

// reportWait bounds how long a command stopped by a signal may go on
// printing after its plugins ended.
const reportWait = time.Second

// stopSignals are the signals that stop any command.
func stopSignals() []os.Signal { return []os.Signal{os.Interrupt, syscall.SIGTERM, syscall.SIGHUP} }

func signalName(sig os.Signal) string {
	switch sig {
	case os.Interrupt:
		return "SIGINT (Ctrl-C)"
	case syscall.SIGTERM:
		return "SIGTERM"
	case syscall.SIGHUP:
		return "SIGHUP"
	}
	return sig.String()
}
