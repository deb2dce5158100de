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
		Name:     "background-tasks-category",
		Severity: SeverityError,
		Short:    "an Extension meant as windows.backgroundTasks that Windows does not read as one (category case, uap:Extension)",
		What: `The category is case-sensitive: Category="windows.backgroundtasks" (or any other
spelling than windows.backgroundTasks) is reported. On Windows 10 the category
belongs to the foundation <Extension> element (no prefix); a
<uap:Extension Category="windows.backgroundTasks"> (or uap3:, uap5:...) is reported.`,
		Why: `Either way the schema rejects the value, the package does not build, and no
other rule sees the declaration: its task types and entry point are checked by
nothing until it is spelled the way Windows reads it.`,
		Fix: `Write Category="windows.backgroundTasks" on an unprefixed <Extension> inside
<Application><Extensions>.`,
		Source: `windows-facts.md §1 "Where the element sits" and "Extension attributes" (Windows 10 Category
values); microsoft/msix-packaging AppxManifestTypes.xsd: ST_ApplicationExtensionCategory_Foundation
lists windows.backgroundTasks, ST_ApplicationExtensionCategory_Uap (uap:Extension) and the
uapN lists do not; enumerations are case-sensitive.`,
	}}}
}

func (r ruleCategory) Check(p *Pass) {
	root := p.Doc.Tree.Root()
	var lists []*etree.Element
	lists = append(lists, childrenByLocal(root, "Extensions")...)
	for _, app := range p.Doc.Applications() {
		lists = append(lists, childrenByLocal(app, "Extensions")...)
	}
	win10 := p.Generation() == manifest.GenWin10
	for _, list := range lists {
		for _, ext := range childrenByLocal(list, "Extension") {
			category, ok := attrValue(ext, "Category")
			if !ok || !strings.EqualFold(strings.TrimSpace(category), manifest.BackgroundTasksCategory) {
				continue
			}
			pos := p.AttrPos(ext, "Category")
			if category != manifest.BackgroundTasksCategory {
				p.Reportf(pos, "Category %q is not %q: categories are case-sensitive, so the package does not build and this declaration is not checked; write Category=%q",
					category, manifest.BackgroundTasksCategory, manifest.BackgroundTasksCategory)
				continue
			}
			if win10 && ext.Space != "" && ext.NamespaceURI() != "" && ext.NamespaceURI() != manifest.NSFoundation {
				p.Reportf(p.PosOf(ext), "<%s:Extension> has no %s category; declare background tasks in an unprefixed <Extension Category=%q>",
					ext.Space, manifest.BackgroundTasksCategory, manifest.BackgroundTasksCategory)
			}
		}
	}
}
