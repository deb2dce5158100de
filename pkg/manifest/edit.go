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
	// Doc is Data parsed: the check that the edit left a file bgtask reads
	// back, kept so the result need not be parsed again (to lint it).
	Doc     *Document
	Changed bool
	// Before is the file the edit was made on, and edit the one run of bytes
	// it replaced; Diff renders them.
	Before  []byte
	edit    splice
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
	var in []Declaration
	for _, decl := range d.Declarations() {
		if enclosingApplication(decl.Element) == app {
			in = append(in, decl)
		}
	}
	return in
}

// findDeclaration returns the target's declaration in app, if any. A start
// page declaration is one with that StartPage and no EntryPoint.
func (d *Document) findDeclaration(app *etree.Element, t Target) (Declaration, bool) {
	for _, decl := range d.declarationsIn(app) {
		if (t.EntryPoint != "" && decl.EntryPoint == t.EntryPoint) ||
			(t.StartPage != "" && decl.EntryPoint == "" && decl.StartPage == t.StartPage) {
			return decl, true
		}
	}
	return Declaration{}, false
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
			return EditResult{}, fmt.Errorf("%w: the edit would make the file larger than %d MiB, the most bgtask reads, so it could not read it back; nothing was written (a manifest is a few KiB: what else is stored in it?)", ErrBadRequest, MaxFileSize>>20)
		}
		return EditResult{}, fmt.Errorf("the edit would leave %s unreadable (%v); nothing was written, please report this", d.Path, err)
	}
	return EditResult{Data: data, Doc: doc, Changed: true, Before: d.Data, edit: sp, App: app, Types: types, Message: message}, nil
}

func (d *Document) unchanged(app, message string) EditResult {
	return EditResult{Data: d.Data, Doc: d, Before: d.Data, App: app, Message: message}
}
