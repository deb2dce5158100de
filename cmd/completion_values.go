package cmd

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/pkg/lint"
	"github.com/bgtask/bgtask/pkg/manifest"
	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// completeFlagValues teaches shell completion the values of flags, found by
// flag name on every command of the tree (so commands added later get them
// too): output formats, triggers, task types and rule IDs from bgtask's own
// lists; entry points and application ids from the manifest in use; and, as
// the arguments of unregister and trigger, the names in the registry in use.
// It runs only for a completion request (newRoot), and each list is made
// only when its flag is the one completed: a start of bgtask pays for none.
func completeFlagValues(g *Globals, root *cobra.Command) {
	var walk func(*cobra.Command)
	walk = func(c *cobra.Command) {
		for flag, fn := range flagCompletions(g, c) {
			if c.Flags().Lookup(flag) != nil {
				// An error means the command registered its own: keep that.
				_ = c.RegisterFlagCompletionFunc(flag, fn)
			}
		}
		if (c.Name() == "unregister" || c.Name() == "trigger") && c.ValidArgsFunction == nil && c.Parent() == root {
			c.ValidArgsFunction = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
				return g.registrationNames(), cobra.ShellCompDirectiveNoFileComp
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

type completeFunc = func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective)

// values completes a flag with what f lists, computed only when that flag
// is the one being completed.
func values(f func() []cobra.Completion) completeFunc {
	return func(*cobra.Command, []string, string) ([]cobra.Completion, cobra.ShellCompDirective) {
		return f(), cobra.ShellCompDirectiveNoFileComp
	}
}

func flagCompletions(g *Globals, c *cobra.Command) map[string]completeFunc {
	m := map[string]completeFunc{
		"app":            values(g.applicationIDs),
		"entry-point":    values(g.declaredEntryPoints),
		"condition":      values(conditionNames),
		"lose-condition": values(conditionNames),
		"trigger":        values(triggerCompletions),
		"policy":         values(policyNames),
		"app-state":      values(appStates),
		"state":          values(stateCompletions),
		"device":         values(devices),
	}
	switch c.Name() {
	case "lint":
		m["format"] = values(lintFormats)
		m["explain"] = values(ruleCompletions)
		m["disable"] = values(ruleCompletions)
		m["enable"] = values(ruleCompletions)
	case "add", "remove":
		m["type"] = values(g.taskTypes)
	}
	if c.Name() == "new" { // plugin new: the entry points are new code, not the manifest's
		delete(m, "entry-point")
	}
	return m
}

func ruleCompletions() []cobra.Completion {
	var out []cobra.Completion
	for _, r := range lint.Rules() {
		i := r.Info()
		out = append(out, cobra.CompletionWithDesc(i.ID, i.Name+": "+i.Short))
	}
	return out
}

func conditionNames() []cobra.Completion {
	var out []cobra.Completion
	for _, c := range tasks.SystemConditionTypes() {
		out = append(out, c.String())
	}
	return out
}

func policyNames() []cobra.Completion { return simulate.PolicyNames() }

func appStates() []cobra.Completion {
	return []cobra.Completion{
		cobra.CompletionWithDesc(string(simulate.AppNotRunning), "the background task gets the notification"),
		cobra.CompletionWithDesc(string(simulate.AppForeground), "the running app's PushNotificationReceived sees it first"),
	}
}

// stateCompletions are --state's NAME=true|false for every condition.
func stateCompletions() []cobra.Completion {
	var out []cobra.Completion
	for _, c := range tasks.SystemConditionTypes() {
		out = append(out, c.String()+"=false", c.String()+"=true")
	}
	return out
}

func devices() []cobra.Completion {
	return []cobra.Completion{
		cobra.CompletionWithDesc("online", "notifications are delivered"),
		cobra.CompletionWithDesc("offline", "notifications are dropped, or cached with X-WNS-Cache-Policy: cache"),
	}
}

// triggerCompletions are the triggers in register's syntax, with a system
// trigger for every SystemTriggerType.
func triggerCompletions() []cobra.Completion {
	out := []cobra.Completion{
		cobra.CompletionWithDesc("push", "PushNotificationTrigger"),
		cobra.CompletionWithDesc("application", "ApplicationTrigger"),
		cobra.CompletionWithDesc("timer:15", "TimeTrigger, every MINUTES (15 or more)"),
		cobra.CompletionWithDesc("maintenance:15", "MaintenanceTrigger, every MINUTES (15 or more)"),
	}
	for _, t := range tasks.SystemTriggerTypes() {
		out = append(out, cobra.CompletionWithDesc("system:"+t.String(), "SystemTrigger"))
	}
	return out
}

// completionDoc is the manifest in use, read quietly: completion must not
// print notes, and a missing or broken manifest completes nothing.
func (g *Globals) completionDoc() *manifest.Document {
	g.noted = true
	doc, err := manifest.Load(g.ManifestPath())
	if err != nil {
		return nil
	}
	return doc
}

func (g *Globals) declaredEntryPoints() []cobra.Completion {
	doc := g.completionDoc()
	if doc == nil {
		return nil
	}
	var out []cobra.Completion
	seen := map[string]bool{}
	for _, d := range doc.Declarations() {
		if d.EntryPoint != "" && !seen[d.EntryPoint] && completable(d.EntryPoint) {
			seen[d.EntryPoint] = true
			out = append(out, d.EntryPoint)
		}
	}
	return out
}

func (g *Globals) applicationIDs() []cobra.Completion {
	doc := g.completionDoc()
	if doc == nil {
		return nil
	}
	var out []cobra.Completion
	for _, id := range doc.ApplicationIDs() {
		if completable(id) {
			out = append(out, id)
		}
	}
	return out
}

// taskTypes are the types the manifest's generation accepts, or every
// Windows 10 type when there is no manifest to ask.
func (g *Globals) taskTypes() []cobra.Completion {
	gen := manifest.GenWin10
	if doc := g.completionDoc(); doc != nil {
		gen = doc.Generation()
	}
	var out []cobra.Completion
	for _, t := range manifest.TaskTypes(gen) {
		out = append(out, t.Name)
	}
	return out
}

func (g *Globals) registrationNames() []cobra.Completion {
	g.noted = true
	reg, err := tasks.Load(g.RegistryPath())
	if err != nil {
		return nil
	}
	var out []cobra.Completion
	for _, r := range reg.Registrations {
		if completable(r.Name) {
			out = append(out, cobra.CompletionWithDesc(r.Name, r.Trigger.String()+" -> "+r.EntryPoint))
		}
	}
	return out
}

// completable keeps names from a file out of the shell's completion when
// they hold what a completion script would mangle or a terminal would
// interpret (tabs, newlines, escapes).
func completable(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < 0x20 || r == 0x7f })
}
