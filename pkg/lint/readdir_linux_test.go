//go:build linux

package lint

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
)

// readDirUnsorted lists what os.ReadDir lists, each entry with the same
// type, in a folder of more entries than one read of the kernel's listing
// holds and of every kind.
func TestReadDirUnsortedMatchesOS(t *testing.T) {
	dir := t.TempDir()
	for i := range 300 {
		name := fmt.Sprintf("%03d-%s.appxmanifest", i, strings.Repeat("n", i%200))
		if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	for _, d := range []string{"sub", "obj", ".git"} {
		if err := os.Mkdir(filepath.Join(dir, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("sub", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	describe := func(entries []fs.DirEntry) []string {
		var out []string
		for _, e := range entries {
			out = append(out, fmt.Sprintf("%s %v %v", e.Name(), e.Type(), e.IsDir()))
		}
		slices.Sort(out)
		return out
	}
	want, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	got, err := readDirUnsorted(dir)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := describe(got), describe(want); !slices.Equal(g, w) {
		t.Errorf("readDirUnsorted lists %d entries, os.ReadDir %d; first difference:\n%s", len(g), len(w), firstDifference(g, w))
	}
	for _, e := range got {
		info, err := e.Info()
		if err != nil || info.Name() != e.Name() || info.Mode().Type() != e.Type() {
			t.Errorf("%s: Info() = %v, %v", e.Name(), info, err)
		}
	}
	if _, err := readDirUnsorted(filepath.Join(dir, "000-.appxmanifest")); err == nil {
		t.Error("a file was listed as a folder")
	}
	if _, err := readDirUnsorted(filepath.Join(dir, "fifo")); err == nil {
		t.Error("a FIFO was listed as a folder")
	}
	if _, err := readDirUnsorted(filepath.Join(dir, "missing")); !os.IsNotExist(err) {
		t.Errorf("a missing folder: %v", err)
	}
}

func firstDifference(a, b []string) string {
	for i := range min(len(a), len(b)) {
		if a[i] != b[i] {
			return a[i] + "\n" + b[i]
		}
	}
	return fmt.Sprintf("%d vs %d entries", len(a), len(b))
}
