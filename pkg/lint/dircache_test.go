package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// One Linter lints many manifests and caches folder listings for BT013; a
// file added between two runs must still be seen.
func TestMissingAssetSeesFileAddedBetweenRuns(t *testing.T) {
	dir := t.TempDir()
	src, err := os.ReadFile(filepath.Join(goldenDir, "missing-asset", "csproj-project", "Package.appxmanifest"))
	if err != nil {
		t.Fatal(err)
	}
	manifestPath := filepath.Join(dir, "Package.appxmanifest")
	for name, data := range map[string][]byte{"Package.appxmanifest": src, "App.csproj": []byte("<Project/>")} {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	l := New()
	count := func() int {
		fs, err := l.LintFile("Package.appxmanifest", manifestPath)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, f := range fs {
			if f.RuleID == "BT013" && strings.Contains(f.Message, "StartPage") {
				n++
			}
		}
		return n
	}
	if n := count(); n != 1 {
		t.Fatalf("before adding the task file: %d BT013 findings, want 1", n)
	}
	if err := os.MkdirAll(filepath.Join(dir, "js"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "js", "backgroundTask.js"), nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if n := count(); n != 0 {
		t.Fatalf("after adding js/backgroundTask.js: %d BT013 findings, want 0 (stale folder listing)", n)
	}
}
