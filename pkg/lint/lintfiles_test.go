package lint

import (
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"testing"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// LintFiles on several goroutines returns, in the order given, what LintFile
// returns for each file alone, including a missing file's error in its slot.
func TestLintFilesMatchesLintFileInOrder(t *testing.T) {
	if runtime.GOMAXPROCS(0) < 2 {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(2))
	}
	paths, err := filepath.Glob(filepath.Join("..", "..", "testdata", "manifests", "*.appxmanifest"))
	if err != nil || len(paths) < 10 {
		t.Fatalf("fixtures: %v, %d files", err, len(paths))
	}
	// Many files, so both goroutines take several; a missing one in the middle.
	var fsPaths, displays []string
	for range 5 {
		fsPaths = append(fsPaths, paths...)
	}
	fsPaths = append(fsPaths[:7], append([]string{filepath.Join(t.TempDir(), "missing.appxmanifest")}, fsPaths[7:]...)...)
	for _, p := range fsPaths {
		displays = append(displays, filepath.Base(p))
	}
	l := New()
	got := l.LintFiles(displays, fsPaths)
	if len(got) != len(fsPaths) {
		t.Fatalf("%d results for %d files", len(got), len(fsPaths))
	}
	for i, p := range fsPaths {
		want, wantErr := l.LintFile(displays[i], p)
		if !reflect.DeepEqual(got[i].Findings, want) || (got[i].Err == nil) != (wantErr == nil) {
			t.Errorf("file %d (%s): LintFiles gave %v, %v; LintFile %v, %v", i, displays[i], got[i].Findings, got[i].Err, want, wantErr)
		}
	}
	if got[7].Err == nil {
		t.Error("the missing file has no error")
	}
}

// A Source carrying its parsed document lints as one Lint parses itself.
func TestLintWithParsedDocMatches(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "manifests", "*.appxmanifest"))
	if len(paths) < 10 {
		t.Fatalf("%d fixtures", len(paths))
	}
	l := New()
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := manifest.Parse(p, data)
		if err != nil {
			continue // the document is what is passed; an unparsable file has none
		}
		want := l.Lint(Source{Path: p, Data: data})
		if got := l.Lint(Source{Path: p, Data: data, Doc: doc}); !reflect.DeepEqual(got, want) {
			t.Errorf("%s: with its document %v, parsing itself %v", p, got, want)
		}
	}
}
