package manifest

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// Add declares req.Types for the target, format-preserving: into the
// target's existing declaration when there is one (merging), otherwise as a
// new Extension at the end of the application's <Extensions>, creating that
// after VisualElements and ApplicationContentUriRules when missing. Asking
// for what is already declared changes nothing and says so.
func (d *Document) Add(req AddRequest) (EditResult, error) {
	if err := req.validate(); err != nil {
		return EditResult{}, err
	}
	if req.Executable != "" {
		if err := checkValue("--executable", req.Executable); err != nil {
			return EditResult{}, err
		}
	}
	tasks, err := d.resolveTypes(req.Types)
	if err != nil {
		return EditResult{}, err
	}
	app, appID, err := d.application(req.App)
	if err != nil {
		return EditResult{}, err
	}
	st := d.style()
	if decls := d.findDeclarations(app, req.Target); len(decls) > 0 {
		return d.mergeInto(decls, req, appID, tasks, st)
	}
	if err := req.checkNewDeclaration(); err != nil {
		return EditResult{}, err
	}
	attrs := extensionAttrs{EntryPoint: req.EntryPoint, StartPage: req.StartPage, Executable: req.Executable}
	sp := d.addExtension(app, attrs, tasks, st)
	return d.additionOf(sp, d.applicationExtensions(app), nil, appID, typeNames(tasks),
		fmt.Sprintf("declared %s (%s) in application %s", req.describe(), strings.Join(typeNames(tasks), ", "), appID))
}

// checkNewDeclaration refuses the values `bgtask lint` reports as errors
// (BT004, BT005), with the same checks, so add never writes a file lint
// fails. Only a new declaration is checked: merging into an existing one
// writes nothing but <Task> elements, and the declaration's own values are
// lint's to report, not a reason to block the edit.
func (req AddRequest) checkNewDeclaration() error {
	var invalid *InvalidValueError
	if req.EntryPoint != "" && errors.As(CheckEntryPoint(req.EntryPoint), &invalid) {
		return badRequest("--entry-point %q %s; an entry point is the task class's full name, Namespace.Class (for example Tasks.ExampleBackgroundTask)",
			req.EntryPoint, invalid.Reason)
	}
	if req.Executable != "" && errors.As(CheckExecutable(req.Executable), &invalid) {
		return badRequest("--executable %q %s; name the .exe that hosts the task (for example App.exe), or leave --executable out to use the default task host",
			req.Executable, invalid.Reason)
	}
	if req.StartPage != "" && errors.As(CheckStartPage(req.StartPage), &invalid) {
		return badRequest("--start-page %q %s; name the JavaScript file by its path in the package (for example js\\backgroundtask.js)",
			req.StartPage, invalid.Reason)
	}
	return nil
}

// resolveTypes checks every type against the generation and returns the
// Task elements to write, without duplicates, in the order given.
func (d *Document) resolveTypes(names []string) ([]TaskType, error) {
	if len(names) == 0 {
		return nil, badRequest("give at least one --type (for a raw push notification task: --type pushNotification)")
	}
	gen := d.Generation()
	valid := TaskTypes(gen)
	if len(valid) == 0 {
		return nil, badRequest("the root element's namespace %q is not one bgtask knows, so it cannot tell which task types are valid", d.mainNamespace())
	}
	var tasks []TaskType
	for _, name := range names {
		t, ok := lookupTaskType(valid, name)
		if !ok {
			return nil, badRequest("unknown task type %q for a %s manifest%s; valid types: %s", name, gen, taskTypeHint(valid, name), strings.Join(typeNames(valid), ", "))
		}
		if _, dup := lookupTaskType(tasks, name); !dup {
			tasks = append(tasks, t)
		}
	}
	return tasks, nil
}

// typeNames returns the names of types, in order.
func typeNames(types []TaskType) []string {
	names := make([]string, len(types))
	for i, t := range types {
		names[i] = t.Name
	}
	return names
}

// mergeInto adds the missing tasks to an existing declaration.
func (d *Document) mergeInto(decls []Declaration, req AddRequest, appID string, tasks []TaskType, st style) (EditResult, error) {
	// New types go into the first declaration; a type any of them has is
	// declared already (a class declared twice is BT008's to report).
	decl := decls[0]
	if req.Executable != "" && decl.Executable != req.Executable {
		return EditResult{}, badRequest("%s is already declared at %s:%d:%d with Executable %q; remove it first to change the executable",
			req.describe(), d.Path, decl.Pos.Line, decl.Pos.Col, decl.Executable)
	}
	var missing []TaskType
	for _, t := range tasks {
		if !slices.ContainsFunc(decls, func(other Declaration) bool { return other.HasType(t.Name) }) {
			missing = append(missing, t)
		}
	}
	if len(missing) == 0 {
		// Where the first type asked for is: with the class declared twice
		// it may be the second declaration.
		at := decls[slices.IndexFunc(decls, func(other Declaration) bool { return other.HasType(tasks[0].Name) })]
		return d.unchanged(appID, fmt.Sprintf("already declared: %s (%s) in application %s at %s:%d:%d; nothing changed",
			req.describe(), strings.Join(typeNames(tasks), ", "), appID, d.Path, at.Pos.Line, at.Pos.Col)), nil
	}
	bt := firstChild(decl.Element, "BackgroundTasks")
	if bt == nil {
		return EditResult{}, badRequest("the declaration of %s at %s:%d:%d has no <BackgroundTasks>; fix it by hand or remove it first",
			req.describe(), d.Path, decl.Pos.Line, decl.Pos.Col)
	}
	// Several new types go in one splice, one line each, after the last task.
	sp := d.appendChild(bt, st, func(indent string, st style) string {
		parts := make([]string, len(missing))
		for i, t := range missing {
			parts[i] = renderTask(scope{at: bt}, t, st)
		}
		return strings.Join(parts, st.newline+indent)
	})
	return d.additionOf(sp, decl.Element.Parent(), decl.Element, appID, typeNames(missing),
		fmt.Sprintf("added %s to the declaration of %s in application %s", strings.Join(typeNames(missing), ", "), req.describe(), appID))
}

// addExtension returns the splice that adds a new declaration to app.
func (d *Document) addExtension(app *etree.Element, attrs extensionAttrs, tasks []TaskType, st style) splice {
	mainNS := d.mainNamespace()
	if list := d.applicationExtensions(app); list != nil {
		return d.appendChild(list, st, func(indent string, st style) string {
			return renderExtension(scope{at: list}, mainNS, indent, attrs, tasks, st)
		})
	}
	render := func(indent string, st style) string {
		return renderExtensions(scope{at: app}, mainNS, indent, attrs, tasks, st)
	}
	// The schema puts Extensions after VisualElements and ApplicationContentUriRules.
	var after *etree.Element
	for _, c := range app.ChildElements() {
		if isManifestElement(c, "VisualElements") || isManifestElement(c, "ApplicationContentUriRules") {
			after = c
		}
	}
	if after != nil {
		return d.insertAfter(after, st, render)
	}
	return d.appendChild(app, st, render)
}

// applicationExtensions returns app's own <Extensions>, in the main namespace.
func (d *Document) applicationExtensions(app *etree.Element) *etree.Element {
	for _, c := range childElements(app, "Extensions") {
		if c.NamespaceURI() == d.mainNamespace() {
			return c
		}
	}
	return nil
}
