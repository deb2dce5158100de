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
	"syscall"

	"github.com/spf13/cobra"
)

// Version is set at build time with -ldflags "-X github.com/bgtask/bgtask/cmd.Version=...".
var Version = "dev"

// DefaultManifest and DefaultRegistry are what --manifest and --registry
// mean when not given.
const (
	DefaultManifest = "Package.appxmanifest"
	DefaultRegistry = ".bgtask/registry.json"
	RegistryEnv     = "BGTASK_REGISTRY"
)

// Globals is what every command gets: its streams and the root's flags.
// It plays the part of gh's Factory: commands reach for nothing else.
type Globals struct {
	IO *IOStreams

	ManifestPath string
	registryFlag string
	NoColor      bool
}

// RegistryPath is --registry if given, else $BGTASK_REGISTRY, else the default.
func (g *Globals) RegistryPath() string {
	if g.registryFlag != "" {
		return g.registryFlag
	}
	if env := g.IO.Getenv(RegistryEnv); env != "" {
		return env
	}
	return filepath.FromSlash(DefaultRegistry)
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
	root := &cobra.Command{
		Use:   "bgtask",
		Short: "Declare, lint, register and push-test Windows background tasks",
		Long: `bgtask brings the loop of a Windows app that handles WNS raw push notifications in a
background task onto your machine and into CI: declare tasks in Package.appxmanifest, lint
the declarations, register tasks with Windows' rules, and deliver simulated raw
notifications to compiled task plugins.`,
		Version:       Version,
		SilenceErrors: true,
		SilenceUsage:  true,
	}
	root.SetIn(g.IO.In)
	root.SetOut(g.IO.Out)
	root.SetErr(g.IO.ErrOut)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError(err) })

	pf := root.PersistentFlags()
	pf.StringVar(&g.ManifestPath, "manifest", DefaultManifest, "path to the app's Package.appxmanifest")
	pf.StringVar(&g.registryFlag, "registry", "", "path to the task registry (default "+DefaultRegistry+", or $"+RegistryEnv+")")
	pf.BoolVar(&g.NoColor, "no-color", false, "never colour output (NO_COLOR in the environment does the same)")

	for _, sub := range commands(g) {
		root.AddCommand(sub)
	}
	return root
}

// commands lists every subcommand; each lives in its own file.
func commands(g *Globals) []*cobra.Command {
	return []*cobra.Command{
		NewCmdManifest(g),
		NewCmdLint(g),
		NewCmdRegister(g),
		NewCmdUnregister(g),
		NewCmdTasks(g),
		NewCmdPlugin(g),
	}
}

// Execute runs bgtask with args and returns the process exit code.
func Execute(ctx context.Context, io *IOStreams, args []string) int {
	g := &Globals{IO: io}
	root := NewRootCmd(g)
	// Flag parsing may fail before it reaches --no-color; the error about
	// that must still honour it. (Defining the flag reset g.NoColor, so this
	// comes after NewRootCmd.)
	g.NoColor = noColorRequested(args)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err != nil {
		var ee *ExitError
		if !errors.As(err, &ee) || !ee.Silent {
			fmt.Fprintf(io.ErrOut, "%s %v\n", g.ErrPalette().Red("bgtask:"), err)
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

// Main is Execute with a context that Ctrl-C and SIGTERM cancel, so that
// running task plugins are cancelled and reaped instead of orphaned.
func Main(io *IOStreams, args []string) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	return Execute(ctx, io, args)
}
