package lint

import "github.com/bgtask/bgtask/pkg/manifest"

// ruleDuplicateTaskType reports a Task Type declared twice in one Extension.
type ruleDuplicateTaskType struct{ RuleBase }

func newRuleDuplicateTaskType() Rule {
	return ruleDuplicateTaskType{RuleBase{RuleInfo{
		ID:       "BT006",
		Name:     "duplicate-task-type",
		Severity: SeverityError,
		Short:    "the same Task Type twice in one background-task Extension",
		What: `Within one windows.backgroundTasks Extension each Task Type may appear once among
the Task and uap:Task elements (and the Task, m2:Task and m3:Task elements of
Windows 8.x manifests). iot:Task elements are not checked.`,
		Why: `FoundationManifestSchema.xsd declares a unique constraint on Type over the Task
and uap:Task elements of one BackgroundTasks, so the package does not build. The
constraint does not select iot:Task, so a repeated iot:Task type is not a schema
error and this rule does not report it. No XSD is published for Windows 8.x; there
bgtask applies the same rule, as a declared type is never needed twice. A duplicate
is usually a copy-paste or a merge leftover.`,
		Fix:    `Delete the second <Task Type="..."/>.`,
		Source: `docs/windows.md "Task types"; the unique constraint of CT_BackgroundTasks in microsoft/msix-packaging FoundationManifestSchema.xsd (selects Task and uap:Task).`,
	}}}
}

// uniqueTaskNamespaces are the Task elements whose Type is checked for
// duplicates: those the foundation schema's unique constraint selects (Task,
// uap:Task) and the Windows 8.x Task elements. iot:Task is not among them.
var uniqueTaskNamespaces = map[string]bool{
	manifest.NSFoundation: true,
	manifest.NSUAP:        true,
	manifest.NSWin8:       true,
	manifest.NSWin81M2:    true,
	manifest.NSPhoneM3:    true,
}

func (r ruleDuplicateTaskType) Check(p *Pass) {
	for _, d := range p.Declarations() {
		first := map[string]int{} // type -> line of its first declaration
		for _, t := range d.Tasks {
			if t.Type == "" || !uniqueTaskNamespaces[t.Namespace] {
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
