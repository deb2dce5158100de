package cmd

import (
	"errors"
	"fmt"
	"io/fs"
	"os/exec"
	"strings"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
	"github.com/spf13/cobra"
)

// RegisterOptions are register's flags.
type RegisterOptions struct {
	Name                  string
	EntryPoint            string
	Trigger               string
	Conditions            []string
	CancelOnConditionLoss bool
	Plugin                string
	PluginArgs            []string
	Example               bool
	Replace               bool
	NoManifestCheck       bool
	JSON                  bool
}

// NewCmdRegister builds `bgtask register`: BackgroundTaskBuilder.Register
// against the local registry, with Windows' checks.
func NewCmdRegister(g *Globals) *cobra.Command {
	opts := &RegisterOptions{}
	cmd := &cobra.Command{
		Use:   "register --name NAME --entry-point NAMESPACE.CLASS --trigger TRIGGER [--plugin PATH [-- ARG...] | --example]",
		Short: "Register a background task in the local registry",
		Long: `Register a background task, as BackgroundTaskBuilder.Register does on Windows 8.1 and
later: the manifest must declare the entry point with the task type the trigger needs,
a name is registered once, and only one application trigger is allowed per app.

Triggers:
  push                          PushNotificationTrigger (task type pushNotification)
  timer:MINUTES[:oneshot]       TimeTrigger, MINUTES >= 15 (timer)
  maintenance:MINUTES[:oneshot] MaintenanceTrigger, MINUTES >= 15 (general)
  system:TYPE[:oneshot]         SystemTrigger, TYPE a SystemTriggerType name (systemEvent)
  application                   ApplicationTrigger (general)

Registering the identical registration again changes nothing and exits 0. The new
TaskId is printed; --json prints the whole registration (docs/json.md). See docs/registry.md.

The plugin is what bgtask push and trigger start for the task: --plugin PATH, with its
arguments after "--" (or --plugin-arg, repeatable), or --example for the example plugin built
into bgtask (it serves Tasks.ExampleBackgroundTask).`,
		Example: `  bgtask register --name RawPush --entry-point Tasks.ExampleBackgroundTask --trigger push
  bgtask register --name Sync --entry-point Tasks.Sync --trigger timer:30 --condition InternetAvailable
  bgtask register --name RawPush --entry-point Tasks.Other --trigger push --replace
  bgtask register --name RawPush --entry-point Tasks.ExampleBackgroundTask --trigger push --example
  bgtask register --name Py --entry-point Tasks.Py --trigger push --plugin /usr/bin/python3 -- tasks/py_task.py`,
		Args: pluginArgsAfterDash,
		RunE: func(cmd *cobra.Command, args []string) error {
			opts.PluginArgs = append(opts.PluginArgs, args...)
			switch {
			case opts.Example && opts.Plugin != "":
				return usageErrorf("give either --plugin PATH or --example, not both")
			case len(opts.PluginArgs) > 0 && opts.Plugin == "":
				return usageErrorf("plugin arguments need --plugin PATH")
			}
			return runRegister(cmd, g, opts)
		},
	}
	f := cmd.Flags()
	f.StringVar(&opts.Name, "name", "", "the task's name (BackgroundTaskBuilder.Name)")
	f.StringVar(&opts.EntryPoint, "entry-point", "", "the task class, Namespace.Class, as declared in the manifest")
	f.StringVar(&opts.Trigger, "trigger", "", "push, timer:MINUTES[:oneshot], maintenance:MINUTES[:oneshot], system:TYPE[:oneshot] or application")
	f.StringArrayVar(&opts.Conditions, "condition", nil, "a SystemConditionType name (InternetAvailable, UserPresent, ...); repeatable")
	f.BoolVar(&opts.CancelOnConditionLoss, "cancel-on-condition-loss", false, "cancel a running instance when a condition stops holding")
	f.StringVar(&opts.Plugin, "plugin", "", "the compiled task plugin that runs this task (stored relative to the registry)")
	f.StringArrayVar(&opts.PluginArgs, "plugin-arg", nil, "an argument the plugin is started with; repeatable (or give them after --)")
	f.BoolVar(&opts.Example, "example", false, "run the task on the example plugin built into bgtask (Tasks.ExampleBackgroundTask)")
	f.BoolVar(&opts.Replace, "replace", false, "replace a registration of the same name that has other settings")
	f.BoolVar(&opts.NoManifestCheck, "no-manifest-check", false, "register without checking the entry point against a manifest")
	f.BoolVar(&opts.JSON, "json", false, "print the registration as JSON")
	for _, name := range []string{"name", "entry-point", "trigger"} {
		_ = cmd.MarkFlagRequired(name)
	}
	return cmd
}

func runRegister(cmd *cobra.Command, g *Globals, opts *RegisterOptions) error {
	batchGC()
	trigger, err := tasks.ParseTrigger(opts.Trigger)
	if err != nil {
		return usageError(err)
	}
	conditions, err := tasks.ParseConditions(opts.Conditions)
	if err != nil {
		return usageError(err)
	}
	registerOpts := tasks.RegisterOptions{Replace: opts.Replace}
	if !opts.NoManifestCheck {
		if registerOpts.Manifest, err = loadManifestView(g.ManifestPath()); err != nil {
			return err
		}
	}
	req := tasks.Request{
		Name:                  opts.Name,
		EntryPoint:            opts.EntryPoint,
		Trigger:               trigger,
		Conditions:            conditions,
		CancelOnConditionLoss: opts.CancelOnConditionLoss,
		Plugin:                opts.Plugin,
		PluginArgs:            opts.PluginArgs,
		ExamplePlugin:         opts.Example,
	}
	path := g.RegistryPath()
	ctx, cancel, err := withLockWait(cmd.Context(), g)
	if err != nil {
		return err
	}
	defer cancel()
	res, err := tasks.Register(ctx, path, req, registerOpts)
	if err != nil {
		return registryError(err)
	}
	if res.Outcome != tasks.AlreadyRegistered {
		g.noteChange("%s %s in %s", safetext.Escape(res.Registration.Name), res.Outcome, safetext.Escape(path))
	}
	warnMissingPlugin(g, tasks.ResolvePlugin(path, res.Registration.Plugin), opts.Plugin)
	if opts.JSON {
		return renderRegisterJSON(g, path, res, !opts.NoManifestCheck)
	}
	renderRegisterText(g, res, !opts.NoManifestCheck)
	return nil // a failed write is caught by the output watch (output.go)
}

func renderRegisterText(g *Globals, res tasks.RegisterResult, manifestChecked bool) {
	p := g.OutPalette()
	r := res.Registration
	name := safetext.Escape(r.Name)
	switch res.Outcome {
	case tasks.Registered:
		fmt.Fprintf(g.IO.Out, "%s %s: TaskId %s\n", p.Green("registered"), p.Bold(name), r.TaskID)
	case tasks.AlreadyRegistered:
		fmt.Fprintf(g.IO.Out, "%s %s: TaskId %s (nothing changed)\n", p.Yellow("already registered"), p.Bold(name), r.TaskID)
	case tasks.Replaced:
		fmt.Fprintf(g.IO.Out, "%s %s: TaskId %s (was %s)\n", p.Green("replaced"), p.Bold(name), r.TaskID, res.Previous.TaskID)
	}
	fmt.Fprintf(g.IO.Out, "  %s -> %s (%s, task type %s)\n", r.Trigger, safetext.Escape(r.EntryPoint), r.Trigger.WindowsName(), r.Trigger.RequiredTaskType())
	if !manifestChecked {
		fmt.Fprintf(g.IO.Out, "  %s not checked against a manifest (--no-manifest-check): Windows 8.1+ refuses an entry point or task type the manifest does not declare\n", p.Yellow("note:"))
	}
	if r.Plugin == "" && !r.ExamplePlugin {
		// Windows would load the class; bgtask needs a program for it.
		fmt.Fprintf(g.IO.Out, "  %s no --plugin or --example: push and trigger report this task not-started until one runs it (register again with --replace)\n", p.Yellow("note:"))
	}
}

// pluginArgsAfterDash accepts arguments only after "--", where they are the
// plugin's: anything before it is a mistyped flag or a stray word.
func pluginArgsAfterDash(cmd *cobra.Command, args []string) error {
	dash := cmd.ArgsLenAtDash()
	if dash < 0 && len(args) > 0 || dash > 0 {
		return usageErrorf("unexpected argument %q: register takes flags only, and the plugin's arguments after --", args[0])
	}
	return nil
}

func renderRegisterJSON(g *Globals, registryPath string, res tasks.RegisterResult, manifestChecked bool) error {
	out := struct {
		Version         int       `json:"version"`
		Status          string    `json:"status"`
		ManifestChecked bool      `json:"manifestChecked"`
		Task            taskJSON  `json:"task"`
		Previous        *taskJSON `json:"previous,omitempty"`
	}{Version: jsonVersion, Status: res.Outcome.String(), ManifestChecked: manifestChecked, Task: newTaskJSON(registryPath, res.Registration)}
	if res.Previous != nil {
		prev := newTaskJSON(registryPath, *res.Previous)
		out.Previous = &prev
	}
	return writeJSON(g.IO.Out, out)
}

// warnMissingPlugin warns about a plugin (as resolved from the working
// folder; "" for none) that is not there. It is a warning, not a refusal: the
// plugin is often built after the task is registered. typed is --plugin as
// given: a bare name PATH knows (python3) was meant as a program, which a
// registration does not look up, and "build it" would be the wrong advice.
func warnMissingPlugin(g *Globals, path, typed string) {
	if path == "" {
		return
	}
	_, err := simulate.FindPlugin(path)
	var onPath string
	if typed != "" && !strings.ContainsAny(typed, `/\`) {
		onPath, _ = exec.LookPath(typed)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist) && onPath != "":
		fmt.Fprintf(g.IO.ErrOut, "%s plugin %s is not a file here, and a registration stores a path: it does not look a program up in PATH, as plugin run does; to run %s, register it again with --plugin %s --replace\n",
			g.ErrPalette().Yellow("warning:"), safetext.Escape(path), safetext.Escape(typed), safetext.ShellWord(onPath))
	case errors.Is(err, fs.ErrNotExist):
		fmt.Fprintf(g.IO.ErrOut, "%s plugin %s does not exist yet; build it before running the task\n", g.ErrPalette().Yellow("warning:"), safetext.Escape(path))
	case err != nil:
		fmt.Fprintf(g.IO.ErrOut, "%s plugin %s\n", g.ErrPalette().Yellow("warning:"), safetext.Line(err.Error()))
	}
}
