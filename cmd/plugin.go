package cmd

import (
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/examples/exampletask/task"
	"github.com/bgtask/bgtask/pkg/simulate"
)

// NewCmdPlugin groups the commands that work on a task plugin executable.
func NewCmdPlugin(g *Globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plugin",
		Short: "Work with task plugin executables",
		Long: `A task plugin is an executable that provides background tasks by entry point. bgtask
starts one plugin process per task instance and talks to it over stdin and stdout with the
protocol in docs/protocol.md; Go authors use the SDK in pkg/plugin.`,
	}
	cmd.AddCommand(NewCmdPluginCheck(g, nil), NewCmdPluginRun(g, nil), NewCmdPluginNew(g), newCmdPluginExample(g))
	return cmd
}

// pluginTarget is the plugin a command works on: PATH [ARG...], or the
// example plugin built into bgtask.
type pluginTarget struct {
	Example bool
	Args    []string
}

func (t *pluginTarget) addFlags(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&t.Example, "example", false,
		"use the example plugin built into bgtask ("+task.EntryPoint+") instead of PATH")
}

func (t *pluginTarget) validate(args []string) error {
	t.Args = args
	switch {
	case t.Example && len(args) > 0:
		return usageErrorf("give either --example or a plugin PATH, not both")
	case !t.Example && len(args) == 0:
		return usageErrorf("missing the plugin's PATH (or --example for bgtask's own example plugin)")
	}
	return nil
}

// plugin resolves the target to an executable and its arguments.
func (t *pluginTarget) plugin() (simulate.Plugin, error) {
	if !t.Example {
		return simulate.Plugin{Path: t.Args[0], Args: t.Args[1:]}, nil
	}
	self, err := os.Executable()
	if err != nil {
		return simulate.Plugin{}, operationalError(fmt.Errorf("finding the bgtask executable to serve the example plugin: %w", err))
	}
	return simulate.Plugin{Path: self, Args: examplePluginArgs()}, nil
}

// policyFlags are the host policy's limits as flags.
type policyFlags struct {
	Timeout   time.Duration
	Grace     time.Duration
	Handshake time.Duration
}

func (p *policyFlags) addFlags(cmd *cobra.Command) {
	cmd.Flags().DurationVar(&p.Timeout, "timeout", simulate.DefaultTimeout,
		"wall-clock limit of a run; then the task is cancelled with ExecutionTimeExceeded")
	cmd.Flags().DurationVar(&p.Grace, "grace", simulate.DefaultGrace,
		"time a cancelled task has to finish before its processes are killed")
	// Interpreters and runtimes that start slowly (a JVM, Python with heavy
	// imports, a debugger) may need longer than the default.
	cmd.Flags().DurationVar(&p.Handshake, "handshake-timeout", simulate.DefaultHandshakeTimeout,
		"time the plugin has from its start to write its handshake (and to answer describe)")
}

func (p *policyFlags) policy() (simulate.Policy, error) {
	if p.Timeout <= 0 || p.Grace <= 0 || p.Handshake <= 0 {
		return simulate.Policy{}, usageError(errors.New("--timeout, --grace and --handshake-timeout must be positive durations such as 30s or 500ms"))
	}
	return simulate.Policy{Timeout: p.Timeout, Grace: p.Grace, HandshakeTimeout: p.Handshake}, nil
}
