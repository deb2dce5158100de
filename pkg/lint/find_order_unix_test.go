//go:build unix

package lint

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// Folders are read on several goroutines, yet what is skipped is listed in
// the order a walk of the tree meets it (a folder's entries by name, a
// folder before what it holds), not sorted as strings: "a/b/..." before
// "a.b/...", although '.' sorts before '/'.
func TestFindManifestsSkipsInWalkOrder(t *testing.T) {
	root := t.TempDir()
	j := func(parts ...string) string { return filepath.Join(append([]string{root}, parts...)...) }
	for _, d := range []string{"a/b", "a/c", "a.b", "z"} {
		if err := os.MkdirAll(j(filepath.FromSlash(d)), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for _, f := range []string{"a/b/Package.appxmanifest", "a.b/Package.appxmanifest"} {
		if err := syscall.Mkfifo(j(filepath.FromSlash(f)), 0o600); err != nil {
			t.Skipf("mkfifo: %v", err)
		}
	}
	if err := os.Symlink(j("missing"), j("a", "c", "Package.appxmanifest")); err != nil {
		t.Skipf("symlink: %v", err)
	}
	for _, f := range []string{"a/Package.appxmanifest", "z/Package.appxmanifest"} {
		if err := os.WriteFile(j(filepath.FromSlash(f)), []byte("<Package/>"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	files, skipped, err := FindManifests([]string{root})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{
		j("a", "b", "Package.appxmanifest") + ": a named pipe (FIFO), not a regular file",
		j("a", "c", "Package.appxmanifest") + ": no such file or directory",
		j("a.b", "Package.appxmanifest") + ": a named pipe (FIFO), not a regular file",
	}
	if strings.Join(skipped, "\n") != strings.Join(want, "\n") {
		t.Errorf("skipped\n%s\nwant\n%s", strings.Join(skipped, "\n"), strings.Join(want, "\n"))
	}
	if got, want := strings.Join(files, " "), j("a", "Package.appxmanifest")+" "+j("z", "Package.appxmanifest"); got != want {
		t.Errorf("found %s, want %s", got, want)
	}
}
