package manifest

import (
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
