package lint

// ruleNoEntryPoint reports a background-task Extension that names no code to
// run: neither EntryPoint nor StartPage.
type ruleNoEntryPoint struct{ RuleBase }

func newRuleNoEntryPoint() Rule {
	return ruleNoEntryPoint{RuleBase{RuleInfo{
		ID:       "BT003",
		Name:     "no-entry-point",
		Severity: SeverityError,
		Short:    "a windows.backgroundTasks Extension with neither EntryPoint nor StartPage",
		What: `Every <Extension Category="windows.backgroundTasks"> must say what runs: EntryPoint
(the task class, Namespace.Class, for C#, VB and C++) or StartPage (the task's
.js file, for JavaScript apps).`,
		Why: `The schema reference's remarks say every background-task Extension must give
EntryPoint or StartPage, in every generation. The XSDs themselves leave both optional,
so packaging may accept the manifest; but the task has nothing to activate.
In-process tasks (Windows 10 1607+, Application.OnBackgroundActivated) are not
declared with this Extension at all.`,
		Fix: `Add EntryPoint="YourNamespace.YourTask" (the public sealed class implementing
IBackgroundTask in a Windows Runtime Component the app references), or
StartPage="js\task.js" for a JavaScript task. For an in-process task remove
the Extension.`,
		Source: `docs/windows.md "Extension attributes": the remarks of
https://learn.microsoft.com/uwp/schemas/appxpackage/uapmanifestschema/element-backgroundtasks (and of the
Windows 8 and 8.1 pages). The XSDs leave both attributes optional.`,
	}}}
}

func (r ruleNoEntryPoint) Check(p *Pass) {
	for _, d := range p.Declarations() {
		if d.EntryPoint != "" || d.StartPage != "" {
			continue
		}
		what := "add EntryPoint=\"Namespace.Class\" naming the task class, or StartPage for a JavaScript task"
		if d.Executable != "" || d.RuntimeType != "" {
			what = "Executable and RuntimeType need an EntryPoint: add EntryPoint=\"Namespace.Class\" naming the task class"
		}
		p.Reportf(d.Pos, "background task Extension has neither EntryPoint nor StartPage; %s", what)
	}
}
