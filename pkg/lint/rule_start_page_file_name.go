package lint

import "github.com/bgtask/bgtask/pkg/manifest"

// ruleStartPageFileName reports a background-task StartPage that is not a
// file name in the package: the values manifest add refuses for
// --start-page, with the same check, so add and lint never disagree.
type ruleStartPageFileName struct{ RuleBase }

func newRuleStartPageFileName() Rule {
	return ruleStartPageFileName{RuleBase{RuleInfo{
		ID:       "BT029",
		Name:     "start-page-file-name",
		Severity: SeverityError,
		Short:    "a background-task StartPage that is not a file name in the package",
		What: `The StartPage attribute of a background-task Extension (a JavaScript task's file)
must name a file by its path in the package: relative to the package root, segments
separated by \ or by / (not both), none empty or . or .., and none of < > " : % | ? *
or a control character (the schema's ST_FileName). So /js/task.js (a leading
separator), js\..\task.js and C:\js\task.js are refused.`,
		Why: `The schema restricts StartPage to file names in the package; packaging and
deployment refuse the manifest, and the task's script is found only by its path
from the package root.`,
		Fix: `Write the script's path from the package root, as it appears in the project:
js\backgroundtask.js.`,
		Source: `docs/windows.md "Extension attributes" (StartPage; the ST_FileName type of AppxManifestTypes.xsd,
https://learn.microsoft.com/uwp/schemas/appxpackage/appxmanifestschema/element-1-extension).`,
	}}}
}

func (r ruleStartPageFileName) Check(p *Pass) {
	for _, d := range p.Declarations() {
		if d.StartPage == "" {
			continue
		}
		// manifest add refuses the same values with the same check.
		if err := manifest.CheckStartPage(d.StartPage); err != nil {
			p.Reportf(p.AttrPos(d.Element, "StartPage"), "%v", err)
		}
	}
}
