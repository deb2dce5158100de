package lint

import (
	"bytes"
	"flag"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// go test ./pkg/lint -run TestGolden -update rewrites the .out files; review
// the diff: a new line is a new finding, a lost line a lost one.
var update = flag.Bool("update", false, "rewrite the .out golden files of testdata/lint")

const goldenDir = "../../testdata/lint"

// goldenCases lists every testdata/lint/<rule-name>/**/*.appxmanifest.
func goldenCases(t testing.TB) []string {
	t.Helper()
	var cases []string
	err := filepath.WalkDir(goldenDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), "_") {
			return filepath.SkipDir // fixtures of other tests (_project)
		}
		if !d.IsDir() && strings.HasSuffix(p, ".appxmanifest") {
			cases = append(cases, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatalf("no golden cases under %s", goldenDir)
	}
	return cases
}

// lintGolden lints one golden manifest, naming it relative to testdata/lint
// with forward slashes so the .out files are the same on every OS.
func lintGolden(t *testing.T, path string) []Finding {
	t.Helper()
	rel, err := filepath.Rel(goldenDir, path)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := New().LintFile(filepath.ToSlash(rel), path)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func TestGolden(t *testing.T) {
	for _, path := range goldenCases(t) {
		name := strings.TrimPrefix(filepath.ToSlash(path), goldenDir+"/")
		t.Run(name, func(t *testing.T) {
			var got bytes.Buffer
			if err := WriteText(&got, Report{Findings: lintGolden(t, path)}, TextStyle{}); err != nil {
				t.Fatal(err)
			}
			outPath := strings.TrimSuffix(path, ".appxmanifest") + ".out"
			if *update {
				if err := os.WriteFile(outPath, got.Bytes(), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(outPath)
			if err != nil {
				t.Fatalf("no golden file (run with -update and review it): %v", err)
			}
			if got.String() != string(want) {
				t.Errorf("findings differ from %s\n--- want\n%s--- got\n%s", outPath, want, got.String())
			}
		})
	}
}

// TestGoldenCoverEveryRule: each manifest rule has a golden folder named
// after it holding at least one finding of that rule, and files whose name
// starts with "ok" have no finding at all.
func TestGoldenCoverEveryRule(t *testing.T) {
	found := map[string]bool{} // rule name -> has a finding in its folder
	for _, path := range goldenCases(t) {
		rel, _ := filepath.Rel(goldenDir, path)
		folder := strings.Split(filepath.ToSlash(rel), "/")[0]
		rule, ok := RuleByID(folder)
		if !ok {
			t.Errorf("%s: folder %q is not a rule name", path, folder)
			continue
		}
		findings := lintGolden(t, path)
		if strings.HasPrefix(filepath.Base(path), "ok") && len(findings) > 0 {
			t.Errorf("%s: a good manifest has findings: %v", path, findings)
		}
		for _, f := range findings {
			if f.RuleID == rule.Info().ID {
				found[folder] = true
			}
		}
	}
	for _, r := range Rules() {
		info := r.Info()
		if info.needsProject {
			continue
		}
		if !found[info.Name] {
			t.Errorf("rule %s (%s) has no golden finding in testdata/lint/%s", info.ID, info.Name, info.Name)
		}
	}
}
