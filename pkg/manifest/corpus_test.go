package manifest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/internal/corpus"
)

// TestCorpusParses: every well-formed real-world manifest parses, lists, and
// gets the generation SOURCES.tsv gives it; every deliberately malformed one
// gives a positioned *Error.
func TestCorpusParses(t *testing.T) {
	files := corpus.Manifests(t)
	generations := corpusGenerations(t, corpus.ManifestsDir(t))
	for _, f := range files {
		t.Run(f.Name, func(t *testing.T) {
			doc, err := Load(f.Path)
			if f.Malformed {
				var me *Error
				if !errors.As(err, &me) || me.Pos.Line == 0 {
					t.Fatalf("Load = %v, want a positioned *Error", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			for _, d := range doc.Declarations() {
				if d.Pos.Line == 0 || doc.Data[d.Pos.Offset] != '<' {
					t.Errorf("declaration %q has no usable position: %+v", d.EntryPoint, d.Pos)
				}
				if len(d.Tasks) == 0 {
					t.Errorf("declaration at %d:%d lists no tasks", d.Pos.Line, d.Pos.Col)
				}
			}
			if want := corpusGeneration(generations[f.Name]); want != "" && doc.Generation() != want {
				t.Errorf("Generation() = %q, SOURCES.tsv says %q", doc.Generation(), generations[f.Name])
			}
		})
	}
}

// corpusGeneration maps SOURCES.tsv's labels onto Generation; winappsdk
// manifests use the Windows 10 foundation schema. 018 is a known mislabel
// (a phone project without m3, labelled win81), which the mapping keeps.
func corpusGeneration(label string) Generation {
	switch label {
	case "win8":
		return GenWin8
	case "win81":
		return GenWin81
	case "wp81":
		return GenPhone81
	case "win10", "winappsdk":
		return GenWin10
	}
	return ""
}

func corpusGenerations(t *testing.T, dir string) map[string]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "SOURCES.tsv"))
	if err != nil {
		t.Fatalf("reading SOURCES.tsv: %v", err)
	}
	gens := map[string]string{}
	rows := strings.Split(string(data), "\n")
	header := strings.Split(rows[0], "\t")
	col := -1
	for i, h := range header {
		if h == "generation" {
			col = i
		}
	}
	if col < 0 {
		t.Fatal("SOURCES.tsv has no generation column")
	}
	for _, row := range rows[1:] {
		cells := strings.Split(row, "\t")
		if len(cells) > col {
			gens[cells[0]] = cells[col]
		}
	}
	return gens
}

// TestCorpusAddRemoveRoundTrip: on every well-formed corpus file with an
// Application, adding a new pushNotification declaration is one contiguous
// insertion that re-parses and lists, and removing it gives back the original
// bytes exactly.
func TestCorpusAddRemoveRoundTrip(t *testing.T) {
	for _, f := range corpus.Manifests(t) {
		if f.Malformed {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			doc, err := Load(f.Path)
			if err != nil {
				t.Fatal(err)
			}
			ids := doc.ApplicationIDs()
			if len(ids) == 0 {
				t.Skip("no <Application> to declare a task in")
			}
			for _, app := range ids {
				target := Target{App: app, EntryPoint: "Bgtask.CorpusProbeTask"}
				added, err := doc.Add(AddRequest{Target: target, Types: []string{"pushNotification"}})
				if err != nil {
					t.Fatalf("add to %s: %v", app, err)
				}
				if _, _, ok := insertion(doc.Data, added.Data); !ok {
					t.Fatalf("add to %s is not one contiguous insertion", app)
				}
				after := reparse(t, doc, added.Data)
				if !listsProbe(after, app) {
					t.Fatalf("the added declaration is not listed for %s", app)
				}
				removed, err := after.Remove(RemoveRequest{Target: target})
				if err != nil {
					t.Fatalf("remove from %s: %v", app, err)
				}
				if !bytes.Equal(removed.Data, doc.Data) {
					t.Fatalf("add then remove in %s changed the file", app)
				}
			}
			// Merging a type into each existing declaration, then removing it.
			for _, d := range doc.Declarations() {
				if d.PackageLevel || len(d.Tasks) == 0 || d.HasType("pushNotification") || (d.EntryPoint == "" && d.StartPage == "") {
					continue
				}
				target := Target{App: d.App, EntryPoint: d.EntryPoint}
				if d.EntryPoint == "" {
					target.StartPage = d.StartPage
				}
				if len(ids) == 1 {
					target.App = ""
				}
				roundTrip(t, doc, target, "pushNotification")
			}
		})
	}
}

func listsProbe(doc *Document, app string) bool {
	for _, d := range doc.Declarations() {
		if d.App == app && d.EntryPoint == "Bgtask.CorpusProbeTask" && d.HasType("pushNotification") {
			return true
		}
	}
	return false
}
