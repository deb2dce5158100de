package app

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFind(t *testing.T) {
	root := t.TempDir()
	mk := func(p string) string {
		t.Helper()
		p = filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(p, 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	app := mk("repo/src/App")
	deep := mk("repo/src/App/Views/Deep")
	if err := os.WriteFile(filepath.Join(app, ManifestName), []byte("<Package/>"), 0o644); err != nil {
		t.Fatal(err)
	}
	// A folder named like the manifest is not a manifest.
	mk("repo/" + ManifestName)
	bare := mk("bare/.bgtask")
	bareSub := mk("bare/sub")

	for _, tc := range []struct {
		from     string
		wantRoot string
		ok       bool
	}{
		{deep, app, true},
		{app, app, true},
		{filepath.Join(root, "repo"), "", false},
		{filepath.Join(root, "repo", "src"), "", false},
		{bareSub, filepath.Dir(bare), true},
	} {
		loc, ok := Find(tc.from)
		if ok != tc.ok || loc.Root != tc.wantRoot {
			t.Errorf("Find(%s) = %q, %v; want %q, %v", tc.from, loc.Root, ok, tc.wantRoot, tc.ok)
		}
		if ok && (loc.Manifest != filepath.Join(tc.wantRoot, ManifestName) || loc.Registry != filepath.Join(tc.wantRoot, ".bgtask", "registry.json")) {
			t.Errorf("Find(%s) = %+v: manifest and registry not in the app folder", tc.from, loc)
		}
	}
	if got := RegistryBeside(filepath.Join("src", "App", ManifestName)); got != filepath.Join("src", "App", ".bgtask", "registry.json") {
		t.Errorf("RegistryBeside = %s", got)
	}
}
