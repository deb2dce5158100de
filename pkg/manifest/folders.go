package manifest

import "strings"

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
	for _, decl := range d.Declarations() {
		switch attr {
		case "StartPage":
			others = append(others, decl.StartPage)
		case "Executable":
			others = append(others, decl.Executable)
		}
	}
	for _, o := range others {
		if hasFolder(o) {
			return o, true
		}
	}
	return "", false
}

func hasFolder(p string) bool { return strings.ContainsAny(p, `\/`) }
