package lint

// ruleTooManyTasks reports a BackgroundTasks element with more Task elements
// than its generation allows.
type ruleTooManyTasks struct{ RuleBase }

func newRuleTooManyTasks() Rule {
	return ruleTooManyTasks{RuleBase{RuleInfo{
		ID:       "BT007",
		Name:     "too-many-tasks",
		Severity: SeverityError,
		Short:    "more Task elements in one Extension than the generation allows (5, 8 or 17)",
		What: `One BackgroundTasks element holds at most: 5 Tasks on Windows 8 (appx/2010,
OSMinVersion 6.2), 8 on Windows 8.1 and Windows Phone 8.1 (m2 or m3 in use, or
OSMinVersion 6.3), 17 on Windows 10. Every Task element counts, whatever its
namespace (Task, m2:Task, uap:Task, iot:Task): they are all members of one
substitution group (TaskChoice on 8.1, BackgroundTaskChoice on Windows 10).`,
		Why: `The schema's maxOccurs makes the package fail to build past the limit.`,
		Fix: `Split the task types over several Extensions (each with its own EntryPoint), or drop the types the task does not use.`,
		Source: `docs/windows.md "Task types" (Windows 8 Task{1,5}, 8.1 TaskChoice{1,8}; FoundationManifestSchema.xsd
in microsoft/msix-packaging: CT_BackgroundTasks holds BackgroundTaskChoice maxOccurs="17", the
group Task and uap:Task substitute for; the Windows 10 documentation's separate
"Task{1,17}, uap:Task{1,17}" is read as that one limit).`,
	}}}
}

func (r ruleTooManyTasks) Check(p *Pass) {
	limit, label := p.maxTasks()
	if limit == 0 {
		return
	}
	for _, d := range p.Declarations() {
		if len(d.Tasks) > limit {
			extra := d.Tasks[limit]
			p.Reportf(extra.Pos, "this Extension declares %d Task elements; %s allows at most %d per Extension: move the rest to another Extension",
				len(d.Tasks), label, limit)
		}
	}
}
