package lint

import "github.com/bgtask/bgtask/pkg/manifest"

// ruleDuplicateEntryPoint reports one entry point declared by two
// background-task Extensions of the same Application.
type ruleDuplicateEntryPoint struct{ RuleBase }

func newRuleDuplicateEntryPoint() Rule {
	return ruleDuplicateEntryPoint{RuleBase{RuleInfo{
		ID:       "BT008",
		Name:     "duplicate-entry-point",
		Severity: SeverityWarning,
		Short:    "the same EntryPoint in two background-task Extensions of one Application",
		What: `Within one Application, each background-task EntryPoint is normally declared by
one windows.backgroundTasks Extension that lists all of its task types.`,
		Why: `Two declarations of one class split its task types and attributes (Executable,
ServerName, ResourceGroup) in two, and which declaration Windows applies to a
registration is not documented. It is usually a merge or copy-paste leftover.
It is a warning, not an error: the schema has no uniqueness constraint on
EntryPoint (it has one on Task/@Type within an Extension), and bgtask register
accepts a type declared in either Extension.`,
		Fix: `Merge the two Extensions: keep one, move every <Task Type> of the other into it, delete the other.`,
		Source: `docs/windows.md "Extension attributes" and "Task types" (the only uniqueness constraint in an
Extension is on Task Type, in microsoft/msix-packaging FoundationManifestSchema.xsd).`,
	}}}
}

func (r ruleDuplicateEntryPoint) Check(p *Pass) {
	apps, byApp := p.declarationsByApp()
	for _, app := range apps {
		first := map[string]int{}
		for _, d := range byApp[app] {
			if d.EntryPoint == "" || manifest.HasPlaceholder(d.EntryPoint) {
				continue
			}
			if line, seen := first[d.EntryPoint]; seen {
				p.Reportf(p.AttrPos(d.Element, "EntryPoint"),
					"EntryPoint %q is already declared by the Extension at line %d of %s; merge the two Extensions' Task types into one Extension",
					d.EntryPoint, line, appLabel(app))
				continue
			}
			first[d.EntryPoint] = d.Pos.Line
		}
	}
}
