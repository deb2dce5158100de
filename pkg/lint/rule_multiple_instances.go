package lint

import (
	"strings"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// ruleMultipleInstances reports SupportsMultipleInstances where Windows
// does not accept it: on the Extension instead of BackgroundTasks, or
// together with ResourceGroup or ServerName.
type ruleMultipleInstances struct{ RuleBase }

func newRuleMultipleInstances() Rule {
	return ruleMultipleInstances{RuleBase{RuleInfo{
		ID:       "BT022",
		Name:     "multiple-instances-placement",
		Severity: SeverityError,
		Short:    "SupportsMultipleInstances on the Extension, or combined with ResourceGroup or ServerName",
		What: `uap4:SupportsMultipleInstances="true" (run each trigger's task in its own process)
belongs on the BackgroundTasks element, not on the windows.backgroundTasks
Extension, and cannot be combined with the Extension's ResourceGroup or the
BackgroundTasks' ServerName. On BackgroundTasks it must be the uap4 attribute:
an unprefixed or uap11:SupportsMultipleInstances there is reported too, and so
is a value that is not an xs:boolean ("true", "false", "1" or "0"; "yes" is not).`,
		Why: `The attribute is defined on BackgroundTasks only (uap11:SupportsMultipleInstances
exists, but only on uap:Extension), and multiple instances contradict a shared
resource group or named server process, so the manifest is rejected.`,
		Fix: `Move the attribute to <BackgroundTasks uap4:SupportsMultipleInstances="true">, and
remove ResourceGroup and ServerName from that declaration (or drop multiple
instances). It needs SDK 10.0.15063 or later.`,
		Source: `docs/windows.md "Task types" (SupportsMultipleInstances sits on BackgroundTasks, needs
10.0.15063, cannot be combined with ResourceGroup or ServerName;
https://learn.microsoft.com/windows/uwp/launch-resume/declare-background-tasks-in-the-application-manifest);
CT_BackgroundTasks in microsoft/msix-packaging FoundationManifestSchema.xsd allows only
uap4:SupportsMultipleInstances.`,
	}}}
}

func (r ruleMultipleInstances) Check(p *Pass) {
	for _, d := range p.Declarations() {
		for _, a := range d.Element.Attr {
			if a.Key == "SupportsMultipleInstances" && a.Space != "xmlns" {
				p.Reportf(p.AttrPos(d.Element, qualifiedName(a)),
					"%s is not an Extension attribute; move it to <BackgroundTasks %s=%q>", qualifiedName(a), qualifiedName(a), a.Value)
			}
		}
		bt := firstChildByLocal(d.Element, "BackgroundTasks")
		if bt == nil {
			continue
		}
		for i := range bt.Attr {
			a := bt.Attr[i]
			if a.Key != "SupportsMultipleInstances" || a.Space == "xmlns" {
				continue
			}
			pos := p.AttrPos(bt, qualifiedName(a))
			// Only uap4's attribute is defined on BackgroundTasks; an
			// undeclared prefix is BT014's.
			if uri := bt.Attr[i].NamespaceURI(); uri != uap4Namespace && (a.Space == "" || uri != "") {
				p.Reportf(pos, "%s is not a BackgroundTasks attribute; write uap4:SupportsMultipleInstances=%q with xmlns:uap4=%q declared on <Package>",
					qualifiedName(a), a.Value, uap4Namespace)
				continue
			}
			if !isXMLBoolean(a.Value) {
				p.Reportf(pos, "%s=%q is not a boolean, so the schema rejects the manifest; write \"true\" or \"false\"", qualifiedName(a), a.Value)
				continue
			}
			if !isXMLTrue(a.Value) {
				continue
			}
			if d.ResourceGroup != "" {
				p.Reportf(pos, "%s=%q cannot be combined with ResourceGroup=%q on the Extension; remove one of them", qualifiedName(a), a.Value, d.ResourceGroup)
			}
			if d.ServerName != "" {
				p.Reportf(pos, "%s=%q cannot be combined with ServerName=%q; remove one of them", qualifiedName(a), a.Value, d.ServerName)
			}
		}
	}
}

// uap4Namespace is the namespace of BackgroundTasks' SupportsMultipleInstances.
const uap4Namespace = manifest.NSUAPPrefix + "4"

// isXMLBoolean reports an xs:boolean: "true", "false", "1" or "0", with
// surrounding white space allowed (the type collapses it).
func isXMLBoolean(v string) bool {
	switch strings.Trim(v, " \t\r\n") {
	case "true", "false", "1", "0":
		return true
	}
	return false
}

// isXMLTrue reports an xs:boolean true ("true" or "1", surrounding spaces allowed).
func isXMLTrue(v string) bool {
	v = strings.TrimSpace(v)
	return v == "true" || v == "1"
}
