package lint

// ruleNoTaskTypes reports a background-task declaration without a single
// Task: nothing can be registered against it.
type ruleNoTaskTypes struct{ RuleBase }

func newRuleNoTaskTypes() Rule {
	return ruleNoTaskTypes{RuleBase{RuleInfo{
		ID:       "BT024",
		Name:     "no-task-types",
		Severity: SeverityWarning,
		Short:    "a windows.backgroundTasks Extension that declares no Task type",
		What: `A windows.backgroundTasks Extension must list the task types its entry point
handles: a <BackgroundTasks> element with at least one <Task Type="..."/>. An
Extension without BackgroundTasks, or with an empty one, is reported.`,
		Why: `Windows lets an app register a trigger only for the task types declared for the
entry point, so a declaration without types accepts no registration: Register
throws for every trigger. Windows 8 and 8.1 also reject an empty BackgroundTasks
when packaging (Task{1,5}, TaskChoice{1,8}); the Windows 10 schema allows it,
hence a warning.`,
		Fix: `Add the types of the triggers the app registers, for example
<BackgroundTasks><Task Type="pushNotification"/></BackgroundTasks> for a raw push
task, or remove the Extension if nothing uses it.`,
		Source: `docs/windows.md "Task types" (Windows 8 Task{1,5}, 8.1 TaskChoice{1,8}; FoundationManifestSchema.xsd:
BackgroundTaskChoice minOccurs="0") and "Registration" (an undeclared trigger type makes
Register throw).`,
	}}}
}

func (r ruleNoTaskTypes) Check(p *Pass) {
	for _, d := range p.Declarations() {
		if len(d.Tasks) > 0 {
			continue
		}
		name := d.EntryPoint
		if name == "" {
			name = d.StartPage
		}
		what := "this declaration"
		if name != "" {
			what = quoteValue(name)
		}
		if bt := firstChildByLocal(d.Element, "BackgroundTasks"); bt != nil {
			if len(childrenByFold(bt, "Task")) > 0 {
				continue // a Task with an undeclared prefix (BT014's) or misspelled (BT023's)
			}
			p.Reportf(p.PosOf(bt), "BackgroundTasks lists no Task: no trigger can be registered for %s; add <Task Type=\"...\"/> for each trigger type it handles", what)
			continue
		}
		if len(childrenByFold(d.Element, "BackgroundTasks")) > 0 {
			continue // <backgroundTasks>, BT023's
		}
		p.Reportf(d.Pos, "background task Extension has no BackgroundTasks element: no trigger can be registered for %s; add <BackgroundTasks><Task Type=\"...\"/></BackgroundTasks>", what)
	}
}
