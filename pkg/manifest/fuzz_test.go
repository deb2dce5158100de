package manifest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// FuzzAddRemove: whatever the bytes, parsing and editing never panic; a parse
// failure is a positioned *Error, a success builds the tree etree's reader
// would; when add succeeds the result re-parses and lists the new task, and
// when add was a pure insertion, remove gives back the input byte for byte.
func FuzzAddRemove(f *testing.F) {
	for _, data := range seedManifests(f) {
		f.Add(data, "Bgtask.FuzzTask", "pushNotification")
	}
	f.Fuzz(func(t *testing.T, data []byte, entryPoint, taskType string) {
		doc, err := Parse("fuzz.appxmanifest", data)
		if err != nil {
			var me *Error
			if !errors.As(err, &me) {
				t.Fatalf("Parse error %v is %T, want *Error", err, err)
			}
			return
		}
		if err := sameAsEtreeReader(doc.Tree, data); err != nil {
			t.Fatalf("Parse's tree differs from etree's reader: %v", err)
		}
		doc.Generation()
		doc.Declarations()
		ids := doc.ApplicationIDs()
		if len(ids) == 0 {
			return
		}
		target := Target{App: ids[0], EntryPoint: entryPoint}
		if CheckEntryPoint(entryPoint) != nil {
			// Add refuses it as an entry point; as a start page, any string
			// still exercises escaping and placement.
			target = Target{App: ids[0], StartPage: entryPoint}
		}
		added, err := doc.Add(AddRequest{Target: target, Types: []string{taskType}})
		if err != nil {
			if !errors.Is(err, ErrBadRequest) {
				t.Fatalf("Add failed other than as a bad request: %v", err)
			}
			return
		}
		if !added.Changed {
			return
		}
		after, err := Parse(doc.Path, added.Data)
		if err != nil {
			t.Fatalf("the added file does not parse: %v", err)
		}
		app, _, err := after.application(ids[0])
		if err != nil {
			t.Fatalf("application %q lost: %v", ids[0], err)
		}
		decl, ok := after.findDeclaration(app, target)
		if !ok || !decl.HasType(taskType) {
			t.Fatalf("the new task is not listed: %+v", decl)
		}
		// The excerpt, when the edit made one, holds the declaration, placed
		// where the whole file has it.
		if x := added.Excerpt(); x != nil {
			xapp, _, err := x.AfterDoc.application(ids[0])
			if err != nil {
				t.Fatalf("application %q not in the excerpt: %v", ids[0], err)
			}
			xdecl, ok := x.AfterDoc.findDeclaration(xapp, target)
			if !ok {
				t.Fatalf("the declaration is not in the excerpt:\n%s", x.After)
			}
			if got := x.ResultPos(xdecl.Pos.Line, xdecl.Pos.Col); got != decl.Pos {
				t.Fatalf("the excerpt's declaration placed at %+v, the file has it at %+v", got, decl.Pos)
			}
		}
		removed, err := after.Remove(RemoveRequest{Target: target, Type: taskType})
		if err != nil {
			t.Fatalf("Remove: %v", err)
		}
		if restorable(doc, target) && !bytes.Equal(removed.Data, data) {
			t.Fatalf("add then remove changed the file:\n%q\nbecame\n%q", data, removed.Data)
		}
	})
}

// restorable reports whether add then remove must give back the input: not
// when add expanded a self-closing element or filled an Extensions that held
// nothing (remove then drops it), the two documented exceptions.
func restorable(doc *Document, target Target) bool {
	app, _, err := doc.application(target.App)
	if err != nil {
		return false
	}
	if decl, ok := doc.findDeclaration(app, target); ok {
		bt := firstChild(decl.Element, "BackgroundTasks")
		return bt != nil && !doc.spans[bt].SelfClosing && len(childElements(bt, "Task")) > 0
	}
	list := doc.applicationExtensions(app)
	if list == nil {
		return !doc.spans[app].SelfClosing
	}
	return len(list.ChildElements()) > 0
}

// seedManifests are the manifests of the repository's fixtures and seeds,
// by file name: the fuzz targets' seed corpus, and the files tests run over.
func seedManifests(tb testing.TB) map[string][]byte {
	tb.Helper()
	files := map[string][]byte{}
	for _, dir := range []string{fixtures, "../../testdata/seed"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			tb.Fatal(err)
		}
		for _, e := range entries {
			if data, err := os.ReadFile(filepath.Join(dir, e.Name())); err == nil {
				files[e.Name()] = data
			}
		}
	}
	return files
}
