package lint

// ruleSingleBackgroundTasks reports a second <BackgroundTasks> in one
// background-task Extension: the schema allows one, and Windows (and
// bgtask: manifest list, register's check) read only the first.
type ruleSingleBackgroundTasks struct{ RuleBase }

func newRuleSingleBackgroundTasks() Rule {
	return ruleSingleBackgroundTasks{RuleBase{RuleInfo{
		ID:       "BT030",
		Name:     "single-background-tasks",
		Severity: SeverityError,
		Short:    "more than one BackgroundTasks element in one background-task Extension",
		What: `A windows.backgroundTasks Extension holds one <BackgroundTasks> element, which
lists all the entry point's task types. A second (or third) one in the same
Extension is reported, at each one after the first.`,
		Why: `The schema allows one BackgroundTasks per Extension, so the package does not
build. Tools that read the manifest, bgtask included (manifest list, register's
check of the trigger's task type), see only the first one's task types.`,
		Fix: `Move the <Task> elements of the others into the first <BackgroundTasks> and
delete the empty ones.`,
		Source: `docs/windows.md "Task types"; CT_BackgroundTasks in microsoft/msix-packaging
FoundationManifestSchema.xsd appears once in the Extension's content model
(https://learn.microsoft.com/uwp/schemas/appxpackage/uapmanifestschema/element-backgroundtasks).`,
	}}}
}

func (r ruleSingleBackgroundTasks) Check(p *Pass) {
	for _, d := range p.Declarations() {
		seen := 0
		for _, child := range d.Element.ChildElements() {
			if child.Tag == "BackgroundTasks" && child.NamespaceURI() == d.Element.NamespaceURI() {
				seen++
				if seen > 1 {
					p.Reportf(p.PosOf(child), "a second <BackgroundTasks> in this Extension: the schema allows one, and only the first is read; move its <Task> elements into the first one")
				}
			}
		}
	}
}
