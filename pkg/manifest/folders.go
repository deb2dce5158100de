package manifest

import (
	"strings"

	"github.com/beevik/etree"
)

// FoldersElsewhere returns a StartPage (attr "StartPage") or Executable
// (attr "Executable") the manifest already has, on its Applications or its
// background task declarations, that names a folder, when value names none.
// `manifest add --start-page js\task.js` typed unquoted in a POSIX shell
// arrives as "jstask.js": the shell ate the backslash. A manifest whose
// other values are in folders is the hint that this one was meant to be.
func (d *Document) FoldersElsewhere(attr, value string) (string, bool) {
	if value == "" || hasFolder(value) {
		return "", false
	}
	var others []string
	for _, app := range d.Applications() {
		others = append(others, plainAttr(app, attr))
	}
	if attr == "StartPage" || attr == "Executable" {
		// The attribute alone, not a Declaration of each of possibly
		// thousands of declarations.
		var walk func(el *etree.Element)
		walk = func(el *etree.Element) {
			if isDeclaration(el) {
				others = append(others, plainAttr(el, attr))
				return
			}
			for _, t := range el.Child {
				if c, ok := t.(*etree.Element); ok {
					walk(c)
				}
			}
		}
		walk(d.Tree.Root())
	}
	for _, o := range others {
		if hasFolder(o) {
			return o, true
		}
	}
	return "", false
}

func hasFolder(p string) bool { return strings.ContainsAny(p, `\/`) }
