package lint

import "github.com/bgtask/bgtask/pkg/manifest"

// ruleResourceGroupSyntax reports a background-task Extension's
// ResourceGroup that is not an ST_AsciiWindowsId.
type ruleResourceGroupSyntax struct{ RuleBase }

func newRuleResourceGroupSyntax() Rule {
	return ruleResourceGroupSyntax{RuleBase{RuleInfo{
		ID:       "BT026",
		Name:     "resource-group-syntax",
		Severity: SeverityError,
		Short:    "a background-task ResourceGroup the schema does not accept",
		What: `In a Windows 10 manifest, the ResourceGroup attribute of a windows.backgroundTasks
Extension must be an ASCII Windows ID of 1-255 characters: a letter, then letters
and digits, optionally several such parts separated by dots ("Push",
"Contoso.Push"). An empty value, a space, hyphen, underscore, leading digit or
non-ASCII letter is reported. Values holding a template token
($safeprojectname$, {Name}) are not checked.`,
		Why: `The manifest is validated against the schema when the package is built and
installed; a ResourceGroup outside its type fails packaging with a schema error.`,
		Fix: `Write a name of letters and digits that starts with a letter, such as
ResourceGroup="Push", renaming it in every Extension that shares the group; or
remove ResourceGroup.`,
		Source: `docs/windows.md "Extension attributes" (https://learn.microsoft.com/uwp/schemas/appxpackage/uapmanifestschema/element-1-extension:
letters and digits, 1-255, starting with a letter); microsoft/msix-packaging
AppxManifestTypes.xsd types ExtensionBaseAttributes/@ResourceGroup as ST_AsciiWindowsId: an
ST_NonEmptyString of at most 255 characters matching ([A-Za-z][A-Za-z0-9]*)(\.[A-Za-z][A-Za-z0-9]*)*.`,
	}}}
}

func (r ruleResourceGroupSyntax) Check(p *Pass) {
	// ResourceGroup is a Windows 10 attribute; the Windows 8 schemas have no
	// such attribute, so there is no syntax to hold it to.
	if p.Generation() != manifest.GenWin10 {
		return
	}
	for _, d := range p.Declarations() {
		v, ok := attrValue(d.Element, "ResourceGroup")
		if !ok || manifest.HasPlaceholder(v) {
			continue
		}
		if problem := asciiWindowsIDProblem(v); problem != "" {
			p.Reportf(p.AttrPos(d.Element, "ResourceGroup"), "ResourceGroup %s; write %s, or remove ResourceGroup",
				problem, asciiWindowsIDSuggestion(v, "Push"))
		}
	}
}
