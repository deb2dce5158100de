package tasks

import (
	"path/filepath"
	"testing"
)

// A stored plugin resolves to a path, never to a bare name that a process
// start would look up in PATH (issue 9: --plugin ./tool.sh with the registry
// in the working folder, or --registry sub/r.json, resolved to "tool.sh").
func TestResolvePluginIsAlwaysAPath(t *testing.T) {
	sep := string(filepath.Separator)
	abs, err := filepath.Abs("tool.sh")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ registry, stored, want string }{
		{"registry.json", "tool.sh", "." + sep + "tool.sh"},
		{"sub/r.json", "../tool.sh", "." + sep + "tool.sh"},
		{".bgtask/registry.json", "../bin/task", "bin" + sep + "task"},
		{".bgtask/registry.json", "../../task", ".." + sep + "task"},
		{"registry.json", filepath.ToSlash(abs), abs},
		{"registry.json", "", ""},
	} {
		if got := ResolvePlugin(filepath.FromSlash(tc.registry), tc.stored); got != tc.want {
			t.Errorf("ResolvePlugin(%q, %q) = %q, want %q", tc.registry, tc.stored, got, tc.want)
		}
	}
}
