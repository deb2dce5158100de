package lint

// ruleDuplicateTaskType reports a Task Type declared twice in one Extension.
type ruleDuplicateTaskType struct{ RuleBase }

func newRuleDuplicateTaskType() Rule {
	return ruleDuplicateTaskType{RuleBase{RuleInfo{
		ID:       "BT006",
		Name:     "duplicate-task-type",
		Severity: SeverityError,
		Short:    "the same Task Type twice in one background-task Extension",
		What:     `Within one windows.backgroundTasks Extension each Task Type may appear once.`,
		Why: `The foundation schema declares Task/@Type unique within an Extension, so the
package does not build. A duplicate is usually a copy-paste or a merge leftover.`,
		Fix:    `Delete the second <Task Type="..."/>.`,
		Source: `windows-facts.md §8 (FoundationManifestSchema.xsd: Task/@Type unique within one Extension).`,
	}}}
}

func (r ruleDuplicateTaskType) Check(p *Pass) {
	for _, d := range p.Declarations() {
		first := map[string]int{} // type -> line of its first declaration
		for _, t := range d.Tasks {
			if t.Type == "" {
				continue // a missing or empty Type is BT002's
			}
			if line, seen := first[t.Type]; seen {
				p.Reportf(p.attrPosIn(t.Pos, "Type"), "Task Type %q is already declared in this Extension (line %d); remove this one", t.Type, line)
				continue
			}
			first[t.Type] = t.Pos.Line
		}
	}
}
