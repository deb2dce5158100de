package cmd

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/examples/exampletask/task"
	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/internal/shutdown"
	"github.com/bgtask/bgtask/pkg/plugin"
	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// PluginRunOptions are the inputs of `bgtask plugin run`.
type PluginRunOptions struct {
	G          *Globals
	Target     pluginTarget
	EntryPoint string
	Name       string
	Trigger    string
	Payload    string
	JSON       bool
	Policy     policyFlags
}

// NewCmdPluginRun builds `bgtask plugin run`; runF replaces the run function
// in tests of flag parsing.
func NewCmdPluginRun(g *Globals, runF func(*cobra.Command, *PluginRunOptions) error) *cobra.Command {
	opts := &PluginRunOptions{G: g}
	cmd := &cobra.Command{
		Use:   "run [flags] (PATH [-- ARG...] | --example)",
		Short: "Run one task instance of a plugin, without a registry",
		Long: `Run starts the plugin, runs one instance of --entry-point under bgtask's policy (a
wall-clock limit, then cancel with ExecutionTimeExceeded, then a grace period, then kill),
shows the task's log and progress on stderr, and prints how it ended.

Exit status 1 when the instance did not complete.`,
		Example: `  bgtask plugin run --example --payload '{"order":42}'
  bgtask plugin run ./mytask --entry-point Tasks.Sync --timeout 2s --grace 500ms`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if err := opts.Target.validate(args); err != nil {
				return err
			}
			if opts.EntryPoint == "" && !opts.Target.Example {
				return usageErrorf("--entry-point is required")
			}
			// Plugins accept any kind, so a typo would run silently as an
			// unknown trigger; and a payload only reaches push triggers.
			kind, err := runTriggerKind(opts.Trigger)
			if err != nil {
				return err
			}
			if opts.Payload != "" && kind != plugin.TriggerPush {
				return usageErrorf("--payload is the raw notification of a push trigger; --trigger %s carries none", opts.Trigger)
			}
			if runF != nil {
				return runF(cmd, opts)
			}
			return runPluginRun(cmd, opts)
		},
	}
	opts.Target.addFlags(cmd)
	opts.Policy.addFlags(cmd)
	cmd.Flags().StringVar(&opts.EntryPoint, "entry-point", "", "entry point to run (required unless --example)")
	cmd.Flags().StringVar(&opts.Name, "name", "", "registration name shown in the log (default: the entry point)")
	cmd.Flags().StringVar(&opts.Trigger, "trigger", string(tasks.TriggerPush),
		"the trigger: push, timer, maintenance, system or application (register's forms, such as timer:30, are taken too)")
	cmd.Flags().StringVar(&opts.Payload, "payload", "", "raw notification content for a push trigger")
	cmd.Flags().BoolVar(&opts.JSON, "json", false, "print the result as JSON")
	return cmd
}

// runTriggerKind reads --trigger in register's syntax and gives the
// protocol's trigger kind. A single run needs no freshness or system trigger
// type, so the bare kind names are enough ("timer" as well as "timer:30").
func runTriggerKind(s string) (string, error) {
	t, err := tasks.ParseTrigger(s)
	if err != nil {
		prefix, _, hasValue := strings.Cut(strings.ToLower(s), ":")
		switch kind := tasks.TriggerKind(prefix); kind {
		case tasks.TriggerTimer, tasks.TriggerMaintenance, tasks.TriggerSystem:
			if hasValue {
				// A value register refuses: its reason, as register gives
				// it (a freshness under 15 minutes, a system trigger type
				// Windows does not have).
				return "", usageError(err)
			}
			t = tasks.Trigger{Kind: kind} // the bare kind is enough for one run
		default:
			return "", usageErrorf("unknown --trigger %q: use push, timer, maintenance, system or application (register's forms, such as timer:30, are taken too)", s)
		}
	}
	return simulate.ProtocolTriggerKind(t.Kind), nil
}

func runPluginRun(cmd *cobra.Command, opts *PluginRunOptions) error {
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
	kind, err := runTriggerKind(opts.Trigger)
	if err != nil {
		return err
	}
	entryPoint := opts.EntryPoint
	if entryPoint == "" {
		entryPoint = task.EntryPoint // what --example serves
	}
	name := opts.Name
	if name == "" {
		name = entryPoint // as the flag promises; plugins get a name, as every Windows registration has one
	}
	inv := simulate.Invocation{
		Registration: plugin.Registration{Name: name, EntryPoint: entryPoint},
		Trigger:      plugin.Trigger{Kind: kind},
	}
	errOut := opts.G.IO.ErrOut
	pal := opts.G.ErrPalette()
	if kind == plugin.TriggerPush {
		inv.Trigger.Push = &plugin.RawNotification{Content: opts.Payload, ContentBytes: []byte(opts.Payload)}
		if opts.Payload == "" {
			// Allowed, to see what a task does with nothing, but said: push
			// and serve refuse it, as WNS does.
			fmt.Fprintf(errOut, "%s no --payload: the task gets an empty raw notification, which WNS never delivers (it refuses an empty body); give --payload for a real one\n", pal.Yellow("note:"))
		}
	}
	res := simulate.RunInstance(cmd.Context(), p, inv, pol, simulate.Observer{
		Log: errOut,
		Progress: func(percent uint32) {
			// Prefixed like the log lines, so a run's output reads as one stream.
			fmt.Fprintf(errOut, "%s: %s\n", safetext.Escape(name), pal.Faint(fmt.Sprintf("progress %d%%", percent)))
		},
	})
	if res.PID != 0 {
		// The task ran whatever becomes of the report: its side effects are done.
		opts.G.noteChange("the task ran (%s)", res.Outcome)
	}
	if opts.JSON {
		err = writeRunJSON(opts.G.IO.Out, entryPoint, res)
	} else {
		err = writeRunSummary(opts.G.IO.Out, opts.G.OutPalette(), entryPoint, res)
	}
	if err != nil {
		return operationalError(fmt.Errorf("writing the run result: %w", err))
	}
	if !res.Done() {
		return silentExit(ExitFailure)
	}
	return nil
}

// writeRunSummary prints how the run ended. The error and exit status are
// the plugin's words (its completion error, its entry points), so they are
// escaped like its log.
func writeRunSummary(w io.Writer, pal Palette, entryPoint string, r *simulate.Result) error {
	entryPoint = safetext.Escape(entryPoint)
	outcome := string(r.Outcome)
	if r.Done() {
		outcome = pal.Green(outcome)
	} else {
		outcome = pal.Red(outcome)
	}
	if r.PID == 0 { // no process was started
		fmt.Fprintf(w, "%s: %s\n", entryPoint, outcome)
	} else {
		// As push and trigger report it, with the split after it.
		fmt.Fprintf(w, "%s: %s in %v, cpu %v (%v user, %v system), progress %d%%, %s\n", entryPoint, outcome,
			r.WallTime.Round(time.Millisecond), (r.UserTime + r.SystemTime).Round(time.Millisecond),
			r.UserTime.Round(time.Millisecond), r.SystemTime.Round(time.Millisecond),
			r.Progress, safetext.Escape(orDash(r.ExitStatus)))
	}
	if r.Canceled {
		fmt.Fprintf(w, "  canceled: %s\n", r.CancelReason)
	}
	if r.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", safetext.Escape(r.Error))
	}
	if r.DeferralsPending > 0 {
		fmt.Fprintf(w, "  %d deferral(s) never completed\n", r.DeferralsPending)
	}
	if r.KilledAfterCompletion {
		fmt.Fprintln(w, "  killed: it did not exit within the grace period after completing")
	}
	if r.LeftoverKilled {
		fmt.Fprintln(w, "  "+leftoverText(r))
	}
	if r.OutputDropped > 0 {
		fmt.Fprintf(w, "  %d log lines or progress reports not shown: standard error did not keep up\n", r.OutputDropped)
	}
	for _, warning := range r.Warnings {
		fmt.Fprintf(w, "  %s %s\n", pal.Yellow("warning:"), safetext.Escape(warning))
	}
	_, err := fmt.Fprintf(w, "  instance %s\n", r.InstanceID)
	return err
}

type runJSON struct {
	Version               int      `json:"version"`
	InstanceID            string   `json:"instanceId"`
	EntryPoint            string   `json:"entryPoint"`
	Outcome               string   `json:"outcome"`
	Error                 string   `json:"error,omitempty"`
	CancelReason          string   `json:"cancelReason,omitempty"`
	Progress              uint32   `json:"progress"`
	DeferralsTaken        int      `json:"deferralsTaken"`
	DeferralsPending      int      `json:"deferralsPending"`
	KilledAfterCompletion bool     `json:"killedAfterCompletion"`
	LeftoverKilled        bool     `json:"leftoverKilled"`
	ExitCode              int      `json:"exitCode"`
	ExitStatus            string   `json:"exitStatus"`
	WallMS                float64  `json:"wallMs"`
	UserMS                float64  `json:"userMs"`
	SystemMS              float64  `json:"systemMs"`
	Warnings              []string `json:"warnings"`
	Log                   []string `json:"log"`
	LogLinesDropped       int      `json:"logLinesDropped"`
	OutputDropped         int      `json:"outputDropped"`
}

func writeRunJSON(w io.Writer, entryPoint string, r *simulate.Result) error {
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	doc := runJSON{
		Version:    jsonVersion,
		InstanceID: r.InstanceID, EntryPoint: entryPoint, Outcome: string(r.Outcome), Error: r.Error,
		Progress: r.Progress, DeferralsTaken: r.DeferralsTaken, DeferralsPending: r.DeferralsPending,
		KilledAfterCompletion: r.KilledAfterCompletion, LeftoverKilled: r.LeftoverKilled,
		ExitCode: r.ExitCode, ExitStatus: r.ExitStatus,
		WallMS: ms(r.WallTime), UserMS: ms(r.UserTime), SystemMS: ms(r.SystemTime),
		Warnings: r.Warnings, Log: r.Log, LogLinesDropped: r.LogLinesDropped, OutputDropped: r.OutputDropped,
	}
	if doc.Warnings == nil {
		doc.Warnings = []string{}
	}
	if r.Canceled {
		doc.CancelReason = r.CancelReason.String()
	}
	if doc.Log == nil {
		doc.Log = []string{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}
