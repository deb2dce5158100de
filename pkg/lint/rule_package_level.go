package lint

// rulePackageLevel reports windows.backgroundTasks declared in the package's
// Extensions instead of an Application's.
type rulePackageLevel struct{ RuleBase }

func newRulePackageLevel() Rule {
	return rulePackageLevel{RuleBase{RuleInfo{
		ID:       "BT009",
		Name:     "package-level-background-tasks",
		Severity: SeverityError,
		Short:    "windows.backgroundTasks in Package/Extensions instead of inside an Application",
		What: `Background tasks are application extensions: the Extension must sit in
Package/Applications/Application/Extensions, not in the package-level
Package/Extensions (which holds activatableClass, certificates, proxy stubs).`,
		Why: `windows.backgroundTasks is not a valid package-level category, so the package
fails validation, and the task belongs to no application to run in.`,
		Fix:    `Move the <Extension Category="windows.backgroundTasks"> into <Application><Extensions> of the app that owns the task.`,
		Source: `docs/windows.md "Where a background task is declared" (https://learn.microsoft.com/uwp/schemas/appxpackage/uapmanifestschema/element-1-extension).`,
	}}}
}

func (r rulePackageLevel) Check(p *Pass) {
	for _, d := range p.Declarations() {
		if d.PackageLevel {
			p.Reportf(d.Pos, "windows.backgroundTasks is an application extension; move this Extension into <Application><Extensions>")
		}
	}
}
