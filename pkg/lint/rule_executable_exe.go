package lint

import "github.com/bgtask/bgtask/pkg/manifest"

// ruleExecutableExe reports a background-task Executable that is not an .exe.
type ruleExecutableExe struct{ RuleBase }

func newRuleExecutableExe() Rule {
	return ruleExecutableExe{RuleBase{RuleInfo{
		ID:       "BT005",
		Name:     "executable-not-exe",
		Severity: SeverityError,
		Short:    "a background-task Executable that does not end in .exe",
		What: `The Executable attribute of a background-task Extension, when present, must name
an .exe file (1-256 characters ending in ".exe") by its path in the package: relative to
the package root, segments separated by \ or by / (not both), none empty or . or ..,
and none of < > " : % | ? * (the schema's ST_FileName).`,
		Why: `The schema restricts Executable to .exe names; a .dll or .winmd there fails
packaging. The task's own component goes in EntryPoint, not Executable.`,
		Fix: `Usually: remove Executable (tasks then run in the default host,
backgroundTaskHost.exe, or the app's own process for JavaScript). Keep it only
for ControlChannel or PushNotification tasks hosted in the app's .exe, and then
name that .exe.`,
		Source: `docs/windows.md "Extension attributes" (Executable: 1-256 characters, ends in .exe, usually left out;
https://learn.microsoft.com/uwp/schemas/appxpackage/appxmanifestschema/element-1-extension).`,
	}}}
}

func (r ruleExecutableExe) Check(p *Pass) {
	for _, d := range p.Declarations() {
		if d.Executable == "" {
			continue
		}
		// manifest add refuses the same values with the same check.
		if err := manifest.CheckExecutable(d.Executable); err != nil {
			p.Reportf(p.AttrPos(d.Element, "Executable"),
				"%v; name the host .exe, or remove Executable to use the default task host", err)
		}
	}
}
