package lint

import (
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/beevik/etree"

	"github.com/bgtask/bgtask/pkg/manifest"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// File is the manifest a rule looks at.
type File struct {
	// Path names the file in findings.
	Path string
	// Dir is the manifest's folder on disk; empty when linting bytes alone.
	Dir  string
	Data []byte
	// Doc is nil when the XML is not well formed; ParseErr then says why.
	Doc      *manifest.Document
	ParseErr error
	// Project is nil unless registry and plugin cross-checks were asked for.
	Project *Project

	decls     []manifest.Declaration // Doc.Declarations, computed once
	declsDone bool
	gen       manifest.Generation // Doc.Generation, computed once
	apps      []*etree.Element    // declarationsByApp, computed once
	byApp     map[*etree.Element][]manifest.Declaration
	byAppDone bool
	// registry holds tasks.Check's problems, shared by BT015-BT019.
	registry     []tasks.Problem
	registryDone bool
	// dirs lists folders for the asset rule; shared by every file of a
	// Linter run, so a folder of many manifests is read once.
	dirs *dirCache
	// cols convert the columns of findings in Data and in the registry,
	// the two files a rule reports in.
	cols [2]columnIndex
	// attrs maps the attribute names of the start tag at attrsTag to their
	// offsets (attrOffsetIn).
	attrs    map[string]int
	attrsTag int
}

// columns is the column index for data: the file's own, or another file's
// (the registry's); a rule's findings go to one or the other.
func (f *File) columns(data []byte) *columnIndex {
	if sameBytes(data, f.Data) {
		return &f.cols[0]
	}
	return &f.cols[1]
}

// Generation is the document's schema generation. Doc.Generation walks the
// whole tree for namespace declarations; several rules ask, so it is
// computed once per file.
func (f *File) Generation() manifest.Generation {
	if f.gen == "" {
		f.gen = f.Doc.Generation()
	}
	return f.gen
}

// posAt converts a byte offset of Data into a position the way
// manifest.Pos counts it (1-based, byte columns, a leading BOM not counted).
func (f *File) posAt(offset int) manifest.Pos {
	if f.Doc == nil {
		return manifest.Pos{Line: 1, Col: 1, Offset: offset}
	}
	return f.Doc.PosAt(offset)
}

// Declarations are the document's background task declarations. Most
// rules need them: the tree is walked once per file, not once per rule.
func (f *File) Declarations() []manifest.Declaration {
	if !f.declsDone {
		f.decls, f.declsDone = f.Doc.Declarations(), true
	}
	return f.decls
}

// PosOf is the position of el's start tag.
func (f *File) PosOf(el *etree.Element) manifest.Pos {
	if el == nil || f.Doc == nil {
		return manifest.Pos{}
	}
	return f.Doc.PosOf(el)
}

// AttrPos is the position of attribute key (with its prefix, if any:
// "uap4:SupportsMultipleInstances") in el's start tag, so a finding about a
// value points at the attribute rather than at the start of a long tag.
// It falls back to the element's position.
func (f *File) AttrPos(el *etree.Element, key string) manifest.Pos {
	return f.attrPosIn(f.PosOf(el), key)
}

// attrPosIn is AttrPos for the start tag at tag.
func (f *File) attrPosIn(tag manifest.Pos, key string) manifest.Pos {
	if off, ok := f.attrOffsetIn(tag.Offset, key); ok {
		return f.posAt(off)
	}
	return tag
}

// attrOffsetIn is attrOffset in f's data, from an index of the last start
// tag asked about: a rule that reports on many attributes of one tag (one
// finding per undeclared prefix) would otherwise scan the tag once for each,
// and a hostile tag of 1,000 attributes 1,000 times.
func (f *File) attrOffsetIn(tagStart int, key string) (int, bool) {
	if f.attrs == nil || f.attrsTag != tagStart {
		f.attrsTag = tagStart
		if f.attrs == nil {
			f.attrs = map[string]int{}
		}
		clear(f.attrs)
		findAttr(f.Data, tagStart, func(name string, off int) bool {
			if _, seen := f.attrs[name]; !seen { // the first, as attrOffset finds
				f.attrs[name] = off
			}
			return false
		})
	}
	off, ok := f.attrs[key]
	return off, ok
}

// attrOffset scans the start tag that begins at tagStart for attribute key
// and returns the offset of its name.
func attrOffset(data []byte, tagStart int, key string) (int, bool) {
	off, _, ok := findAttr(data, tagStart, func(name string, _ int) bool { return name == key })
	return off, ok
}

// attrNameFold finds an attribute of the start tag at tagStart whose name
// is key in another case ("type" for "Type") and returns that name.
func attrNameFold(data []byte, tagStart int, key string) (string, bool) {
	_, name, ok := findAttr(data, tagStart, func(name string, _ int) bool { return strings.EqualFold(name, key) })
	return name, ok
}

// findAttr scans the start tag that begins at tagStart for the first
// attribute whose name match accepts (given the name and its offset),
// returning its offset and name.
func findAttr(data []byte, tagStart int, match func(name string, off int) bool) (int, string, bool) {
	if tagStart < 0 || tagStart >= len(data) || data[tagStart] != '<' {
		return 0, "", false
	}
	i := tagStart + 1
	for i < len(data) && !isXMLSpace(data[i]) && data[i] != '>' && data[i] != '/' {
		i++
	}
	for i < len(data) {
		for i < len(data) && isXMLSpace(data[i]) {
			i++
		}
		if i >= len(data) || data[i] == '>' || data[i] == '/' {
			return 0, "", false
		}
		nameStart := i
		for i < len(data) && !isXMLSpace(data[i]) && data[i] != '=' && data[i] != '>' {
			i++
		}
		name := string(data[nameStart:i])
		for i < len(data) && isXMLSpace(data[i]) {
			i++
		}
		if i >= len(data) || data[i] != '=' {
			return 0, "", false
		}
		i++
		for i < len(data) && isXMLSpace(data[i]) {
			i++
		}
		if i >= len(data) || (data[i] != '"' && data[i] != '\'') {
			return 0, "", false
		}
		quote := data[i]
		i++
		for i < len(data) && data[i] != quote {
			i++
		}
		i++ // past the closing quote
		if match(name, nameStart) {
			return nameStart, name, true
		}
	}
	return 0, "", false
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// qualifiedName is how an attribute is written in the file: prefix:key.
func qualifiedName(a etree.Attr) string {
	if a.Space == "" {
		return a.Key
	}
	return a.Space + ":" + a.Key
}

// childrenByLocal returns el's child elements with local name local, in
// any namespace. pkg/manifest's own helpers (names.go) take only the appx
// namespace family, which is right for reading and editing declarations but
// not for lint: an element whose prefix is undeclared (<m2:LockScreen>
// without xmlns:m2) has no namespace URI, and lint must still see it, so that
// the one mistake is BT014's finding and not also a BT010 "no LockScreen"
// (testdata/lint/lock-screen-required/undeclared-m2-prefix).
func childrenByLocal(el *etree.Element, local string) []*etree.Element {
	if el == nil {
		return nil
	}
	var out []*etree.Element
	for _, t := range el.Child {
		if c, ok := t.(*etree.Element); ok && c.Tag == local {
			out = append(out, c)
		}
	}
	return out
}

// firstChildByLocal is the first of childrenByLocal, or nil.
func firstChildByLocal(el *etree.Element, local string) *etree.Element {
	if el == nil {
		return nil
	}
	for _, t := range el.Child {
		if c, ok := t.(*etree.Element); ok && c.Tag == local {
			return c
		}
	}
	return nil
}

// attrValue returns the value of the unprefixed attribute key and whether
// it is there at all: unlike manifest's plainAttr, an empty value
// (BadgeLogo="") is told apart from a missing attribute.
func attrValue(el *etree.Element, key string) (string, bool) {
	if el == nil {
		return "", false
	}
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == key {
			return a.Value, true
		}
	}
	return "", false
}

// applicationOf returns the Application element a declaration sits in, or
// nil for a package-level Extension.
func applicationOf(d manifest.Declaration) *etree.Element {
	if d.PackageLevel || d.Element == nil {
		return nil
	}
	for el := d.Element.Parent(); el != nil; el = el.Parent() {
		if el.Tag == "Application" {
			return el
		}
	}
	return nil
}

// isPhone reports whether the manifest is a Windows Phone 8.1 package
// (m3 namespace or an mp:PhoneIdentity element): phones have no lock-screen
// requirement for background tasks.
func (f *File) isPhone() bool {
	if f.Generation() == manifest.GenPhone81 {
		return true
	}
	root := f.Doc.Tree.Root()
	for _, c := range childrenByLocal(root, "PhoneIdentity") {
		if c.NamespaceURI() == manifest.NSPhoneMP {
			return true
		}
	}
	return false
}

// isWindows8x reports whether the manifest targets Windows 8 or 8.1 on PCs
// and tablets, where the lock-screen rules (APPX1675) apply.
func (f *File) isWindows8x() bool {
	g := f.Generation()
	return (g == manifest.GenWin8 || g == manifest.GenWin81) && !f.isPhone()
}

// osMinVersion returns Prerequisites/OSMinVersion's major and minor
// ("6.3.0" gives 6, 3), or ok false.
func (f *File) osMinVersion() (major, minor int, ok bool) {
	prereq := firstChildByLocal(f.Doc.Tree.Root(), "Prerequisites")
	v := firstChildByLocal(prereq, "OSMinVersion")
	if v == nil {
		return 0, 0, false
	}
	parts := strings.Split(strings.TrimSpace(v.Text()), ".")
	if len(parts) < 2 {
		return 0, 0, false
	}
	major, err1 := strconv.Atoi(parts[0])
	minor, err2 := strconv.Atoi(parts[1])
	return major, minor, err1 == nil && err2 == nil
}

// targetsWindows81 reports whether a manifest in the 2010 namespace is
// built for Windows 8.1: it uses m2, or says OSMinVersion 6.3 (Visual
// Studio 2013 then validates it against the 8.1 schema, as the LockScreenApps
// sample shows).
func (f *File) targetsWindows81() bool {
	switch f.Generation() {
	case manifest.GenWin81, manifest.GenPhone81:
		return true
	case manifest.GenWin8:
		major, minor, ok := f.osMinVersion()
		return ok && (major > 6 || major == 6 && minor >= 3)
	}
	return false
}

// visualElements returns an Application's VisualElements (any namespace).
func visualElements(app *etree.Element) *etree.Element {
	return firstChildByLocal(app, "VisualElements")
}

// declarationsByApp groups the declarations by the Application they sit in,
// listing the Applications in document order (package-level ones are left
// out). Three rules ask; it is computed once per file, and not changed.
func (f *File) declarationsByApp() (apps []*etree.Element, byApp map[*etree.Element][]manifest.Declaration) {
	if !f.byAppDone {
		f.apps, f.byApp = f.groupByApp()
		f.byAppDone = true
	}
	return f.apps, f.byApp
}

func (f *File) groupByApp() (apps []*etree.Element, byApp map[*etree.Element][]manifest.Declaration) {
	byApp = map[*etree.Element][]manifest.Declaration{}
	for _, d := range f.Declarations() {
		app := applicationOf(d)
		if app == nil {
			continue
		}
		if _, seen := byApp[app]; !seen {
			apps = append(apps, app)
		}
		byApp[app] = append(byApp[app], d)
	}
	return apps, byApp
}

// appLabel names an Application in messages.
func appLabel(app *etree.Element) string {
	if id, ok := attrValue(app, "Id"); ok && id != "" {
		return "Application " + strconv.Quote(id)
	}
	return "the Application"
}

// appHasLockScreenTask reports whether decls declare a task type that
// needs (and so justifies) the lock screen.
func appHasLockScreenTask(decls []manifest.Declaration) bool {
	for _, d := range decls {
		for _, t := range d.Tasks {
			if slices.Contains(lockScreenTaskTypes(), t.Type) {
				return true
			}
		}
	}
	return false
}

// quoteValue quotes an attribute value for a message as it is written in the
// manifest: Assets\Badge.png stays one backslash, where %q would double it.
func quoteValue(v string) string {
	if strings.ContainsAny(v, "\"\r\n\t") || !utf8.ValidString(v) {
		return strconv.Quote(v)
	}
	return `"` + v + `"`
}
