package lint

import "github.com/bgtask/bgtask/pkg/manifest"

// ruleEntryPointIdentifier reports an EntryPoint that cannot be an
// activatable class name: a file name (pch.cpp), a path, a bare class name.
type ruleEntryPointIdentifier struct{ RuleBase }

func newRuleEntryPointIdentifier() Rule {
	return ruleEntryPointIdentifier{RuleBase{RuleInfo{
		ID:       "BT004",
		Name:     "entry-point-identifier",
		Severity: SeverityError,
		Short:    "a background-task EntryPoint that is not a Namespace.Class name",
		What: `A background task's EntryPoint is the activatable class ID of the task: the full
name of the class, a dotted identifier such as "Tasks.PushTask". A file name
(pch.cpp, Task.cs, task.js), a path, a name with spaces or a class name without
its namespace is reported.`,
		Why: `Windows activates the task by that class name. A name that is not a class
(the LockScreenApps sample's EntryPoint="pch.cpp") registers and then never
runs: activation fails on the device with nothing at build time.`,
		Fix: `Write the namespace and class of the IBackgroundTask implementation, exactly as
in the code: EntryPoint="MyTasks.PushTask". It must also be the TaskEntryPoint
the app registers. JavaScript tasks use StartPage instead.`,
		Source: `docs/windows.md "Extension attributes" (EntryPoint is an activatable class ID, Namespace.Class;
https://learn.microsoft.com/windows/uwp/launch-resume/debug-a-background-task).`,
	}}}
}

func (r ruleEntryPointIdentifier) Check(p *Pass) {
	for _, d := range p.Declarations() {
		if d.EntryPoint == "" {
			continue // BT003 (no entry point) covers a declaration without one
		}
		// manifest add refuses the same values with the same check.
		if err := manifest.CheckEntryPoint(d.EntryPoint); err != nil {
			p.Reportf(p.AttrPos(d.Element, "EntryPoint"), "%v: write the task class's full name, Namespace.Class", err)
		}
	}
}
