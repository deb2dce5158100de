package lint

import "github.com/bgtask/bgtask/pkg/manifest"

// ruleExtensionAttributeLength reports an EntryPoint, StartPage, Executable
// or RuntimeType of a background-task Extension that is empty or longer than
// the schema allows.
type ruleExtensionAttributeLength struct{ RuleBase }

func newRuleExtensionAttributeLength() Rule {
	return ruleExtensionAttributeLength{RuleBase{RuleInfo{
		ID:       "BT027",
		Name:     "extension-attribute-length",
		Severity: SeverityError,
		Short:    "a background-task EntryPoint, StartPage, Executable or RuntimeType that is empty or too long",
		What: `The attributes of a windows.backgroundTasks Extension have length limits:
EntryPoint, StartPage and Executable 1-256 characters, RuntimeType 1-255. An
attribute written with an empty value (EntryPoint="") or a longer one is
reported. Characters are counted, not bytes. An empty EntryPoint or StartPage
is left to BT003 when the Extension has neither a non-empty EntryPoint nor a
non-empty StartPage. Values holding a template token ($targetnametoken$,
{PackageName}) are not checked.`,
		Why: `The manifest is validated against the schema when the package is built and
installed; an empty or over-long value fails packaging with a schema error.`,
		Fix: `Remove an attribute you do not need rather than leaving it empty (without
Executable the task runs in the default host). Otherwise write the real value:
EntryPoint the task class's full name (Namespace.Class), StartPage the task's
.js file, Executable the host .exe, RuntimeType the activatable class ID; all
of them fit well within the limits.`,
		Source: `docs/windows.md "Extension attributes" (https://learn.microsoft.com/uwp/schemas/appxpackage/appxmanifestschema/element-1-extension;
Windows 10 keeps the Windows 8 attributes). In microsoft/msix-packaging AppxManifestTypes.xsd
(ExtensionBaseAttributes) every one is an ST_NonEmptyString (minLength 1); EntryPoint is
ST_EntryPoint (maxLength 256) and RuntimeType ST_ActivatableClassId (maxLength 255). That XSD
gives Executable (ST_ExecutableAnyCase) and StartPage (ST_FileName) no length of their own;
their 256 is the documented limit.`,
	}}}
}

// extensionAttributeLimits are the attributes the rule checks, in the order
// findings are reported, with their maximum length.
var extensionAttributeLimits = []struct {
	name string
	max  int
	fix  string // what to write instead, after "write"
}{
	{"EntryPoint", 256, "the task class's full name (Namespace.Class)"},
	{"StartPage", 256, "the path of the task's .js file"},
	{"Executable", 256, "the name of the host .exe"},
	{"RuntimeType", 255, "the activatable class ID of the runtime type"},
}

func (r ruleExtensionAttributeLength) Check(p *Pass) {
	for _, d := range p.Declarations() {
		// BT003 already reports an Extension with no usable EntryPoint or
		// StartPage; an empty one of those is then its finding, not ours.
		noEntry := d.EntryPoint == "" && d.StartPage == ""
		for _, a := range extensionAttributeLimits {
			v, ok := attrValue(d.Element, a.name)
			if !ok || manifest.HasPlaceholder(v) {
				continue
			}
			if v == "" && noEntry && (a.name == "EntryPoint" || a.name == "StartPage") {
				continue
			}
			problem := lengthProblem(v, 1, a.max)
			if problem == "" {
				continue
			}
			pos := p.AttrPos(d.Element, a.name)
			if v == "" {
				p.Reportf(pos, "%s %s; remove %s, or write %s", a.name, problem, a.name, a.fix)
				continue
			}
			p.Reportf(pos, "%s %s; write %s, at most %d characters", a.name, problem, a.fix, a.max)
		}
	}
}
