package lint

import (
	"fmt"
	"strings"

	"github.com/beevik/etree"
	"github.com/bgtask/bgtask/pkg/manifest"
)

// ruleUndeclaredPrefix reports an element or attribute prefix (uap:Task,
// uap4:SupportsMultipleInstances) with no xmlns declaration in scope.
//
// Such a document is well-formed XML 1.0 but not namespace-well-formed, and
// Windows' parser rejects it. Go's encoding/xml does not: Decoder.Token
// leaves the unknown prefix in Name.Space ("uap" instead of a URI) without
// an error, and etree's NamespaceURI returns "". So the manifest parses here,
// its uap:Task elements simply match no namespace, and this rule has to look
// for the prefixes itself.
type ruleUndeclaredPrefix struct{ RuleBase }

func newRuleUndeclaredPrefix() Rule {
	return ruleUndeclaredPrefix{RuleBase{RuleInfo{
		ID:       "BT014",
		Name:     "undeclared-namespace-prefix",
		Severity: SeverityError,
		Short:    "a namespace prefix (uap:, uap4:, m2:, iot:...) used without its xmlns declaration",
		What: `Every prefix used on an element or attribute (uap:Task, m2:LockScreen,
uap4:SupportsMultipleInstances, iot:Task) must be declared by an xmlns:prefix
attribute on that element or an ancestor, normally on <Package>.`,
		Why: `Without the declaration the manifest is not namespace-well-formed: Visual Studio
and MakeAppx reject it ("undeclared prefix"). Copying a <uap:Task> or a uap4
attribute from a sample without its namespace is the usual cause.`,
		Fix: `Add the declaration to <Package>, for example
xmlns:uap="http://schemas.microsoft.com/appx/manifest/uap/windows10" or
xmlns:uap4="http://schemas.microsoft.com/appx/manifest/uap/windows10/4", and list
the prefix in IgnorableNamespaces if older Windows versions must ignore it.`,
		Source: `docs/windows.md "Manifest generations" (uap = .../uap/windows10, uapN = .../uap/windows10/N) and
"Task types" (uap4:SupportsMultipleInstances); Namespaces in XML 1.0, "Namespace constraint:
Prefix Declared".`,
	}}}
}

func (r ruleUndeclaredPrefix) Check(p *Pass) {
	root := p.Doc.Tree.Root()
	if root == nil {
		return
	}
	r.walk(p, root, map[string]bool{})
}

func (r ruleUndeclaredPrefix) walk(p *Pass, el *etree.Element, inScope map[string]bool) {
	scope := inScope
	copied := false
	for _, a := range el.Attr {
		if a.Space != "xmlns" {
			continue
		}
		if !copied { // the parent's scope is shared with its siblings
			scope = make(map[string]bool, len(inScope)+1)
			for k := range inScope {
				scope[k] = true
			}
			copied = true
		}
		scope[a.Key] = true
	}
	if el.Space != "" && !scope[el.Space] && el.Space != "xml" {
		p.Reportf(p.PosOf(el), "prefix %q of <%s:%s> is not declared; %s", el.Space, el.Space, el.Tag, declareHint(el.Space))
	}
	for _, a := range el.Attr {
		if a.Space == "" || a.Space == "xmlns" || a.Space == "xml" || scope[a.Space] {
			continue
		}
		p.Reportf(p.AttrPos(el, qualifiedName(a)), "prefix %q of attribute %s is not declared; %s", a.Space, qualifiedName(a), declareHint(a.Space))
	}
	for _, t := range el.Child {
		if c, ok := t.(*etree.Element); ok {
			r.walk(p, c, scope)
		}
	}
}

// declareHint tells how to declare a well-known manifest prefix.
func declareHint(prefix string) string {
	if uri := wellKnownNamespace(prefix); uri != "" {
		return fmt.Sprintf("add xmlns:%s=%q to <Package>", prefix, uri)
	}
	return fmt.Sprintf("add an xmlns:%s declaration to <Package>", prefix)
}

// wellKnownNamespace maps the prefixes Visual Studio and the documentation
// use to their namespace URIs.
func wellKnownNamespace(prefix string) string {
	switch prefix {
	case "uap":
		return manifest.NSUAP
	case "m2":
		return manifest.NSWin81M2
	case "m3":
		return manifest.NSPhoneM3
	case "mp":
		return manifest.NSPhoneMP
	case "iot":
		return manifest.NSIoT
	case "rescap":
		return "http://schemas.microsoft.com/appx/manifest/foundation/windows10/restrictedcapabilities"
	case "desktop":
		return "http://schemas.microsoft.com/appx/manifest/desktop/windows10"
	case "com":
		return "http://schemas.microsoft.com/appx/manifest/com/windows10"
	}
	if n, ok := strings.CutPrefix(prefix, "uap"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
		return manifest.NSUAPPrefix + n
	}
	if n, ok := strings.CutPrefix(prefix, "desktop"); ok && n != "" && strings.Trim(n, "0123456789") == "" {
		return "http://schemas.microsoft.com/appx/manifest/desktop/windows10/" + n
	}
	return ""
}
