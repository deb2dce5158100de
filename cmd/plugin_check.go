package cmd

import (
	"encoding/json"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/internal/shutdown"
	"github.com/bgtask/bgtask/pkg/plugin"
	"github.com/bgtask/bgtask/pkg/simulate"
)

// PluginCheckOptions are the inputs of `bgtask plugin check`.
type PluginCheckOptions struct {
	G          *Globals
	Target     pluginTarget
	EntryPoint string
	JSON       bool
	Verbose    bool
	Policy     policyFlags
}

// NewCmdPluginCheck builds `bgtask plugin check`; runF replaces the run
// function in tests of flag parsing.
func NewCmdPluginCheck(g *Globals, runF func(*cobra.Command, *PluginCheckOptions) error) *cobra.Command {
	opts := &PluginCheckOptions{G: g}
	cmd := &cobra.Command{
		Use:   "check [flags] (PATH [-- ARG...] | --example)",
		Short: "Run the plugin protocol's conformance checks against a plugin executable",
		Long: `Check starts the plugin the way bgtask runs tasks and checks that it follows
docs/protocol.md: its handshake, its answer to describe, a run of the entry point with a
sample raw notification, that it exits after completing, that it stops within the grace
period when cancelled, and that it leaves no process behind.

Arguments after PATH are passed to the plugin (put them after --).
Exit status 1 when a check fails.`,
		Example: `  bgtask plugin check ./exampletask
  bgtask plugin check --entry-point Tasks.PyEcho python3 -- -u task.py
  bgtask plugin check --example --json`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Target.validate(args); err != nil {
				return err
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runPluginCheck(cmd, opts)
		},
	}
	opts.Target.addFlags(cmd)
	opts.Policy.addFlags(cmd)
	cmd.Flags().StringVar(&opts.EntryPoint, "entry-point", "", "entry point to run (default: the first the plugin lists)")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the checks as JSON")
	cmd.Flags().BoolVarP(&opts.Verbose, "verbose", "v", false, "show the plugin's log (its stderr) on stderr while checking")
	return cmd
}

func runPluginCheck(cmd *cobra.Command, opts *PluginCheckOptions) error {
	// Held to the end, so that a signal lets the report of the plugins it
	// ended be printed before bgtask exits.
	defer shutdown.Hold(cmd.Context())()
	p, err := opts.Target.plugin()
	if err != nil {
		return err
	}
	pol, err := opts.Policy.policy()
	if err != nil {
		return err
	}
	var obs simulate.Observer
	if opts.Verbose {
		obs.Log = opts.G.IO.ErrOut
	}
	rep := simulate.CheckConformance(cmd.Context(), p, opts.EntryPoint, pol, obs)
	out := opts.G.IO.Out
	if opts.JSON {
		err = writeCheckJSON(out, p, rep)
	} else {
		name := safetext.Escape(p.Path)
		if opts.Target.Example {
			// p.Path is bgtask itself, which is not what was checked.
			name = "bgtask's example plugin"
		}
		err = writeCheckTable(out, opts.G.OutPalette(), name, rep)
	}
	if err != nil {
		return operationalError(fmt.Errorf("writing the check report: %w", err))
	}
	if !rep.Passed() {
		return silentExit(ExitFailure)
	}
	return nil
}

// writeCheckTable prints the checks; name is the plugin as the user named
// it, escaped.
func writeCheckTable(w io.Writer, pal Palette, name string, rep *simulate.CheckReport) error {
	t := table{header: []string{"CHECK", "RESULT", "DETAIL"}}
	failed := 0
	for _, c := range rep.Checks {
		if c.Status == simulate.CheckFail {
			failed++
		}
		// Details quote what the plugin said (its sdk, entry points, errors):
		// a newline there must not forge a row, nor a sequence reach the terminal.
		t.rows = append(t.rows, []string{c.Name, string(c.Status), safetext.Escape(c.Detail)})
	}
	// Colour goes on after padding (see table), so the columns line up on a terminal too.
	paintStatus := func(col int, s string) string {
		if col != 1 {
			return s
		}
		switch simulate.CheckStatus(s) {
		case simulate.CheckPass:
			return pal.Green(s)
		case simulate.CheckFail:
			return pal.Red(s)
		}
		return pal.Faint(s)
	}
	if err := t.write(w, func(s string) string { return s }, paintStatus); err != nil {
		return err
	}
	if failed > 0 {
		_, err := fmt.Fprintf(w, "%s %s: %d of %d checks failed\n", pal.Red("FAIL"), name, failed, len(rep.Checks))
		return err
	}
	_, err := fmt.Fprintf(w, "%s %s conforms to plugin protocol version %d (entry point %s)\n",
		pal.Green("PASS"), name, plugin.ProtocolVersion, safetext.Escape(rep.EntryPoint))
	return err
}

type checkJSON struct {
	Version    int         `json:"version"`
	Plugin     string      `json:"plugin"`
	Args       []string    `json:"args"`
	EntryPoint string      `json:"entryPoint"`
	Passed     bool        `json:"passed"`
	Checks     []checkItem `json:"checks"`
}

type checkItem struct {
	Name   string `json:"name"`
	Status string `json:"status"`
	Detail string `json:"detail"`
}

func writeCheckJSON(w io.Writer, p simulate.Plugin, rep *simulate.CheckReport) error {
	doc := checkJSON{Version: jsonVersion, Plugin: p.Path, Args: p.Args, EntryPoint: rep.EntryPoint, Passed: rep.Passed(), Checks: []checkItem{}}
	if doc.Args == nil {
		doc.Args = []string{}
	}
	for _, c := range rep.Checks {
		doc.Checks = append(doc.Checks, checkItem{Name: c.Name, Status: string(c.Status), Detail: c.Detail})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
