package lint

import (
	"strings"

	"github.com/beevik/etree"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// ruleCategory reports a background-task Extension that Windows does not
// read as one: the category spelled with another case, or a Windows 10
// Extension element of a namespace that has no windows.backgroundTasks
// category (uap:Extension).
type ruleCategory struct{ RuleBase }

func newRuleCategory() Rule {
	return ruleCategory{RuleBase{RuleInfo{
		ID:       "BT023",
		Name:     "background-tasks-spelling",
		Severity: SeverityError,
		Short:    "a background-task declaration Windows does not read as one: category or element name in the wrong case, uap:Extension",
		What: `The category is case-sensitive: Category="windows.backgroundtasks" (or any other
spelling than windows.backgroundTasks) is reported, and so are the element names
of the declaration written in another case (<extension>, <backgroundTasks>,
<task>). On Windows 10 the category belongs to the foundation <Extension>
element (no prefix); a <uap:Extension Category="windows.backgroundTasks"> (or
uap3:, uap5:...) is reported.`,
		Why: `Either way the schema rejects the value, the package does not build, and no
other rule sees the declaration: its task types and entry point are checked by
nothing until it is spelled the way Windows reads it.`,
		Fix: `Write Category="windows.backgroundTasks" on an unprefixed <Extension> inside
<Application><Extensions>, with the element names spelled as the message says:
<Extension>, <BackgroundTasks>, <Task>.`,
		Source: `docs/windows.md "Where a background task is declared"; ST_ApplicationExtensionCategory_Foundation in
microsoft/msix-packaging AppxManifestTypes.xsd lists windows.backgroundTasks, the uap:Extension
and uapN lists do not; XML names and enumerations are case-sensitive.`,
	}}}
}

func (r ruleCategory) Check(p *Pass) {
	root := p.Doc.Tree.Root()
	var lists []*etree.Element
	lists = append(lists, childrenByFold(root, "Extensions")...)
	for _, app := range p.Doc.Applications() {
		lists = append(lists, childrenByFold(app, "Extensions")...)
	}
	win10 := p.Generation() == manifest.GenWin10
	listReported := map[*etree.Element]bool{}
	for _, list := range lists {
		for _, ext := range childrenByFold(list, "Extension") {
			category, ok := attrValue(ext, "Category")
			if !ok || !strings.EqualFold(strings.TrimSpace(category), manifest.BackgroundTasksCategory) {
				continue
			}
			if list.Tag != "Extensions" {
				if !listReported[list] {
					r.misspelled(p, list, "Extensions")
					listReported[list] = true
				}
				continue
			}
			if r.misspelled(p, ext, "Extension") {
				continue
			}
			if category != manifest.BackgroundTasksCategory {
				p.Reportf(p.AttrPos(ext, "Category"), "Category %q is not %q: categories are case-sensitive, so the package does not build and this declaration is not checked; write Category=%q",
					category, manifest.BackgroundTasksCategory, manifest.BackgroundTasksCategory)
				continue
			}
			if win10 && ext.Space != "" && ext.NamespaceURI() != "" && ext.NamespaceURI() != manifest.NSFoundation {
				p.Reportf(p.PosOf(ext), "<%s:Extension> has no %s category; declare background tasks in an unprefixed <Extension Category=%q>",
					ext.Space, manifest.BackgroundTasksCategory, manifest.BackgroundTasksCategory)
				continue
			}
			for _, bt := range childrenByFold(ext, "BackgroundTasks") {
				if r.misspelled(p, bt, "BackgroundTasks") {
					continue
				}
				for _, task := range childrenByFold(bt, "Task") {
					r.misspelled(p, task, "Task")
				}
			}
		}
	}
}

// misspelled reports el when its name is want in another case (<task>,
// <backgroundTasks>), which Windows does not read as want.
func (r ruleCategory) misspelled(p *Pass, el *etree.Element, want string) bool {
	if el.Tag == want {
		return false
	}
	p.Reportf(p.PosOf(el), "<%s> is not <%s>: element names are case-sensitive, so the package does not build; write <%s>",
		qualifiedTag(el), want, want)
	return true
}

// qualifiedTag is how an element's name is written in the file.
func qualifiedTag(el *etree.Element) string {
	if el.Space == "" {
		return el.Tag
	}
	return el.Space + ":" + el.Tag
}

// childrenByFold returns el's child elements whose local name is local in
// any case.
func childrenByFold(el *etree.Element, local string) []*etree.Element {
	var out []*etree.Element
	for _, t := range el.Child {
		if c, ok := t.(*etree.Element); ok && strings.EqualFold(c.Tag, local) {
			out = append(out, c)
		}
	}
	return out
}
