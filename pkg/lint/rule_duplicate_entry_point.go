package lint

// ruleDuplicateEntryPoint reports one entry point declared by two
// background-task Extensions of the same Application.
type ruleDuplicateEntryPoint struct{ RuleBase }

func newRuleDuplicateEntryPoint() Rule {
	return ruleDuplicateEntryPoint{RuleBase{RuleInfo{
		ID:       "BT008",
		Name:     "duplicate-entry-point",
		Severity: SeverityError,
		Short:    "the same EntryPoint in two background-task Extensions of one Application",
		What: `Within one Application, each background-task EntryPoint is declared by one
windows.backgroundTasks Extension that lists all of its task types.`,
		Why: `Windows looks up a registration's TaskEntryPoint in the app's declarations; two
declarations of one class split its task types and attributes in two, and which
one applies is not defined. It is almost always a merge or copy-paste mistake.`,
		Fix:    `Merge the two Extensions: keep one, move every <Task Type> of the other into it, delete the other.`,
		Source: `windows-facts.md §1 "Where the element sits" and §7 "Entry point mismatch" (the manifest EntryPoint must agree with the registered TaskEntryPoint).`,
	}}}
}

func (r ruleDuplicateEntryPoint) Check(p *Pass) {
	apps, byApp := p.declarationsByApp()
	for _, app := range apps {
		first := map[string]int{}
		for _, d := range byApp[app] {
			if d.EntryPoint == "" || hasPlaceholder(d.EntryPoint) {
				continue
			}
			if line, seen := first[d.EntryPoint]; seen {
				p.Reportf(p.AttrPos(d.Element, "EntryPoint"),
					"EntryPoint %q is already declared by the Extension at line %d of %s; merge the two Extensions' Task types into one",
					d.EntryPoint, line, appLabel(app))
				continue
			}
			first[d.EntryPoint] = d.Pos.Line
		}
	}
}
