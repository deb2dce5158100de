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

// LintFile reuses its read buffer from file to file: a small file read
// after a larger one lints as its own bytes do, read afresh, and findings
// from earlier files are not changed by later reads.
func TestLintFileAfterLargerFiles(t *testing.T) {
	paths, _ := filepath.Glob(filepath.Join("..", "..", "testdata", "manifests", "*.appxmanifest"))
	if len(paths) < 10 {
		t.Fatalf("%d fixtures", len(paths))
	}
	l := New()
	var got, want [][]Finding
	for range 3 {
		for _, p := range paths {
			findings, err := l.LintFile(p, p)
			if err != nil {
				t.Fatal(err)
			}
			got = append(got, findings)
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			want = append(want, l.Lint(Source{Path: p, Dir: filepath.Dir(p), Data: data}))
		}
	}
	for i := range got {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Errorf("file %d (%s): LintFile %v, Lint of its bytes %v", i, paths[i%len(paths)], got[i], want[i])
		}
	}
}
