package manifest

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/beevik/etree"
)

// ErrBadRequest marks an edit the manifest cannot take as asked: an unknown
// task type, an ambiguous or unknown application, a bad value. Nothing is
// changed; the message says what to pass instead.
var ErrBadRequest = errors.New("invalid edit request")

// Target names the declaration an edit is about: the application (empty
// means the only one) and either the entry point (a class, for C#, C++ and VB
// apps) or the start page (a JavaScript app's task).
type Target struct {
	App        string
	EntryPoint string
	StartPage  string
}

// AddRequest declares background task types for a target.
type AddRequest struct {
	Target
	Executable string   // optional host executable
	Types      []string // Task Type values, at least one
}

// RemoveRequest removes a declaration, or only one task type of it.
type RemoveRequest struct {
	Target
	Type string // empty: the whole declaration
}

// EditResult is the outcome of an edit. Data is the whole new file, equal to
// the original when Changed is false (the edit was already in effect).
type EditResult struct {
	Data []byte
	// Doc is Data parsed, when the check that the edit left a file bgtask
	// reads back read the whole file (kept so it need not be parsed again
	// to lint it); nil when the check read the Excerpt.
	Doc     *Document
	Changed bool
	// Before is the file the edit was made on, and edit the one run of bytes
	// it replaced; Diff renders them.
	Before  []byte
	edit    splice
	excerpt *Excerpt
	App     string   // the application edited
	Types   []string // the task types added or removed
	Message string   // one line for the user: what changed, or why nothing did
}

func badRequest(format string, a ...any) error {
	return fmt.Errorf("%w: %s", ErrBadRequest, fmt.Sprintf(format, a...))
}

// validate checks the target's shape and values before anything is looked up.
func (t Target) validate() error {
	switch {
	case t.EntryPoint == "" && t.StartPage == "":
		return badRequest("name the task with --entry-point (a class such as Tasks.PushTask) or --start-page (a JavaScript app's task file)")
	case t.EntryPoint != "" && t.StartPage != "":
		return badRequest("give --entry-point or --start-page, not both")
	}
	for _, v := range []struct{ flag, value string }{{"--entry-point", t.EntryPoint}, {"--start-page", t.StartPage}, {"--app", t.App}} {
		if err := checkValue(v.flag, v.value); err != nil {
			return err
		}
	}
	return nil
}

// checkValue refuses values no manifest attribute can hold: invalid UTF-8,
// control characters, surrounding spaces (Windows compares these exactly),
// and more than the schema's 256 characters.
func checkValue(flag, value string) error {
	if !utf8.ValidString(value) {
		return badRequest("%s is not valid UTF-8", flag)
	}
	if strings.IndexFunc(value, notXMLChar) >= 0 {
		return badRequest("%s %q contains a control character", flag, value)
	}
	if strings.TrimSpace(value) != value {
		return badRequest("%s %q has leading or trailing spaces; Windows compares it exactly", flag, value)
	}
	if utf8.RuneCountInString(value) > 256 {
		return badRequest("%s is longer than the 256 characters the manifest schema allows", flag)
	}
	return nil
}

// notXMLChar reports characters an XML attribute cannot hold, even escaped,
// plus the other control characters no entry point or file name contains.
func notXMLChar(r rune) bool {
	return unicode.IsControl(r) || r == 0xFFFE || r == 0xFFFF
}

// describe names the target in messages.
func (t Target) describe() string {
	if t.EntryPoint != "" {
		return "entry point " + t.EntryPoint
	}
	return "start page " + t.StartPage
}

// application finds the Application an edit goes in.
func (d *Document) application(id string) (*etree.Element, string, error) {
	apps := d.Applications()
	ids := d.ApplicationIDs()
	switch {
	case len(apps) == 0:
		return nil, "", badRequest("the manifest has no <Application>; background tasks are declared inside one")
	case id == "" && len(apps) == 1:
		return apps[0], ids[0], nil
	case id == "":
		return nil, "", badRequest("the manifest has %d applications (%s); choose one with --app", len(apps), shownList(ids))
	}
	for i, app := range apps {
		if ids[i] == id {
			return app, id, nil
		}
	}
	for _, have := range ids {
		if strings.EqualFold(have, id) {
			return nil, "", badRequest("no application with Id %q; did you mean %s? (Ids are matched exactly, with their case)", id, shownList([]string{have}))
		}
	}
	return nil, "", badRequest("no application with Id %q; the manifest has %s", id, shownList(ids))
}

// shownList joins values from the file for a message, each as is when it is
// printable and Go-quoted when not, so that an Id holding "&#xA;" or an
// escape sequence cannot add a line to the message or act on a terminal.
func shownList(values []string) string {
	shown := make([]string, len(values))
	for i, v := range values {
		shown[i] = v
		if !utf8.ValidString(v) || strings.ContainsFunc(v, func(r rune) bool { return !strconv.IsPrint(r) }) {
			shown[i] = strconv.Quote(v)
		}
	}
	return strings.Join(shown, ", ")
}

// declarationsIn returns the declarations inside app, in document order.
// (Declaration.App cannot tell apart two applications with the same Id.)
func (d *Document) declarationsIn(app *etree.Element) []Declaration {
	els := d.declarationElementsIn(app)
	in := make([]Declaration, 0, len(els))
	for _, el := range els {
		in = append(in, d.declaration(el))
	}
	return in
}

// declarationElementsIn returns the Extension elements of the declarations
// Declarations lists inside app, in document order, without making a
// Declaration of each: an edit looks for one among possibly thousands.
func (d *Document) declarationElementsIn(app *etree.Element) []*etree.Element {
	// Declarations does not look inside a declaration; nor does this, even
	// in a (hostile) file that puts the application inside one.
	for p := app; p != nil; p = p.Parent() {
		if isDeclaration(p) {
			return nil
		}
	}
	var els []*etree.Element
	var walk func(el *etree.Element)
	walk = func(el *etree.Element) {
		ns := childNamespaces{parent: el}
		for _, t := range el.Child {
			c, ok := t.(*etree.Element)
			switch {
			case !ok:
			case ns.isDeclaration(c):
				if enclosingApplication(c) == app {
					els = append(els, c)
				}
			default:
				walk(c)
			}
		}
	}
	walk(app)
	return els
}

// isDeclaration reports whether el is a background task declaration, as
// Declarations finds them.
func isDeclaration(el *etree.Element) bool {
	return isManifestElement(el, "Extension") && plainAttr(el, "Category") == BackgroundTasksCategory
}

// findDeclaration returns the target's first declaration in app, if any. A
// start page declaration is one with that StartPage and no EntryPoint.
func (d *Document) findDeclaration(app *etree.Element, t Target) (Declaration, bool) {
	if all := d.findDeclarations(app, t); len(all) > 0 {
		return all[0], true
	}
	return Declaration{}, false
}

// findDeclarations returns every declaration of the target in app, in file
// order: a class may be declared in two Extensions (BT008, a warning), and
// an edit must see the types of both.
func (d *Document) findDeclarations(app *etree.Element, t Target) []Declaration {
	var found []Declaration
	for _, el := range d.declarationElementsIn(app) {
		entryPoint := plainAttr(el, "EntryPoint")
		if (t.EntryPoint != "" && entryPoint == t.EntryPoint) ||
			(t.StartPage != "" && entryPoint == "" && plainAttr(el, "StartPage") == t.StartPage) {
			found = append(found, d.declaration(el))
		}
	}
	return found
}

// mainNamespace is the namespace of Package, Application and Extension:
// appx/2010 for the Windows 8 family, foundation for Windows 10.
func (d *Document) mainNamespace() string { return d.Tree.Root().NamespaceURI() }

// resultOf applies sp and checks that the file still parses, so an edit can
// never write a manifest bgtask itself could not read back.
func (d *Document) resultOf(sp splice, app string, types []string, message string) (EditResult, error) {
	data := sp.apply(d.Data)
	doc, err := Parse(d.Path, data)
	if err != nil {
		// A file at one of the parser's limits reads, but the edit can take
		// it over: that is the file's size, not a bug to report.
		// (Depth cannot be: declarations sit at a fixed, shallow depth.)
		if errors.Is(err, ErrTooLarge) {
			return EditResult{}, errTooLargeAfterEdit()
		}
		return EditResult{}, fmt.Errorf("the edit would leave %s unreadable (%v); nothing was written, please report this", d.Path, err)
	}
	return EditResult{Data: data, Doc: doc, Changed: true, Before: d.Data, edit: sp, App: app, Types: types, Message: message}, nil
}

func errTooLargeAfterEdit() error {
	return fmt.Errorf("%w: the edit would make the file larger than %d MiB, the most bgtask reads, so it could not read it back; nothing was written (a manifest is a few KiB: what else is stored in it?)", ErrBadRequest, MaxFileSize>>20)
}

// additionOf is resultOf for an addition inside list (nil when the edit
// creates it) that changes, of list's declarations, only touched (nil: it
// adds one). The check that the file still parses reads the edit's Excerpt,
// not the whole file: the result is the excerpt plus the declarations left
// out, complete elements read before in the same places (same ancestors,
// namespaces and depth), so it parses when the excerpt does. An excerpt
// that does not parse (never expected) gets the whole file read, which
// says what is wrong and where.
func (d *Document) additionOf(sp splice, list, touched *etree.Element, app string, types []string, message string) (EditResult, error) {
	x, ok := d.excerpt(sp, list, touched)
	if !ok {
		return d.resultOf(sp, app, types, message)
	}
	if len(x.result) > MaxFileSize {
		return EditResult{}, errTooLargeAfterEdit()
	}
	var errBefore, errAfter error
	x.BeforeDoc, errBefore = Parse(d.Path, x.Before)
	x.AfterDoc, errAfter = Parse(d.Path, x.After)
	if errBefore != nil || errAfter != nil {
		return d.resultOf(sp, app, types, message)
	}
	return EditResult{Data: x.result, Changed: true, Before: d.Data, edit: sp, excerpt: x, App: app, Types: types, Message: message}, nil
}

// Excerpt is the addition made on the file without the declarations it
// left alone beside the one it made or changed; nil for a removal, an edit
// that changed nothing, or one with nothing to leave out.
func (r EditResult) Excerpt() *Excerpt { return r.excerpt }

func (d *Document) unchanged(app, message string) EditResult {
	return EditResult{Data: d.Data, Doc: d, Before: d.Data, App: app, Message: message}
}
