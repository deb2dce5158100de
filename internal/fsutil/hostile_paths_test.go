package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/internal/wine"
)

// A file name with pattern characters in it ("*", "?", "[") names itself
// only: its leftover temporary files are found, and no other file's. Found
// by a hostile review: "r[.json" made every write fail ("syntax error in
// pattern"), and "a*.json" removed the temporary file of ab.json, whose
// writer holds another lock.
func TestRemoveStaleTempsTakesNamesLiterally(t *testing.T) {
	for _, tc := range []struct {
		base        string
		files, left []string
	}{
		{"r[.json", []string{"r[.json", ".r[.json.tmp-12"}, []string{"r[.json"}},
		{"a*.json", []string{"a*.json", ".a*.json.tmp-3", ".ab.json.tmp-999", "ab.json"}, []string{".ab.json.tmp-999", "a*.json", "ab.json"}},
		{"q?.json", []string{".q?.json.tmp-1", ".qx.json.tmp-1"}, []string{".qx.json.tmp-1"}},
		// Only what os.CreateTemp makes of the pattern: digits for "*".
		{"reg.json", []string{".reg.json.tmp-", ".reg.json.tmp-12x", ".reg.json.tmp-77", ".reg.json.tmp-90"}, []string{".reg.json.tmp-", ".reg.json.tmp-12x"}},
	} {
		dir := t.TempDir()
		if runtime.GOOS == "windows" && strings.ContainsAny(tc.base, "*?") {
			continue // Windows file names cannot hold * or ?
		}
		for _, name := range tc.files {
			if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
				t.Skipf("%s: %v", name, err)
			}
		}
		if err := RemoveStaleTemps(filepath.Join(dir, tc.base)); err != nil {
			t.Errorf("%s: %v", tc.base, err)
			continue
		}
		var left []string
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			left = append(left, e.Name())
		}
		if !slices.Equal(left, tc.left) {
			t.Errorf("%s: left %q, want %q", tc.base, left, tc.left)
		}
	}
}

// A write through a link whose target does not exist yet creates the target
// and keeps the link (the promise of docs/registry.md, "Safe writes"); it
// used to replace the link with a regular file.
func TestWriteFileThroughDanglingLinkCreatesTheTarget(t *testing.T) {
	wine.Skip(t, wine.Symlinks)
	dir := t.TempDir()
	if err := os.Mkdir(filepath.Join(dir, "real"), 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "link.json")
	// Relative, and through a second link, as links in dotfiles often are.
	if err := os.Symlink("hop.json", link); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if err := os.Symlink(filepath.Join("real", "reg.json"), filepath.Join(dir, "hop.json")); err != nil {
		t.Fatal(err)
	}
	if got, want := Target(link), filepath.Join(dir, "real", "reg.json"); got != want {
		t.Errorf("Target = %s, want %s", got, want)
	}
	if err := WriteFile(link, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v", err)
	}
	if data, err := os.ReadFile(filepath.Join(dir, "real", "reg.json")); err != nil || string(data) != "new" {
		t.Errorf("target holds %q (%v), want new", data, err)
	}
}

// A link that loops has no target: Target gives the path back, and the
// write fails rather than replacing the link.
func TestTargetOfALoopIsThePath(t *testing.T) {
	wine.Skip(t, wine.Symlinks)
	dir := t.TempDir()
	a, b := filepath.Join(dir, "a"), filepath.Join(dir, "b")
	if err := os.Symlink(b, a); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if err := os.Symlink(a, b); err != nil {
		t.Fatal(err)
	}
	if got := Target(a); got != a && got != b {
		t.Errorf("Target of a loop = %s", got)
	}
	if got := Target(filepath.Join(dir, "plain")); got != filepath.Join(dir, "plain") {
		t.Errorf("Target of a missing plain path = %s", got)
	}
}

// A folder where a file is to be written is refused by name, not renamed
// over (which fails with a system message) or written into.
func TestWriteFileRefusesAFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "reg.json")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, []byte("x"), 0o644)
	var nr *NotRegularError
	if !errors.As(err, &nr) || nr.Error() != path+" is a folder, not a file" {
		t.Errorf("WriteFile over a folder: %v", err)
	}
}

func TestOpenRegularRefusesAFolder(t *testing.T) {
	dir := t.TempDir()
	f, _, err := OpenRegular(dir)
	var nr *NotRegularError
	if !errors.As(err, &nr) || !nr.Mode.IsDir() {
		t.Errorf("OpenRegular(folder) = %v, %v", f, err)
	}
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("abc"), 0o644); err != nil {
		t.Fatal(err)
	}
	f, info, err := OpenRegular(path)
	if err != nil || info.Size() != 3 {
		t.Fatalf("OpenRegular(file) = %v, %v", info, err)
	}
	f.Close()
	if _, _, err := OpenRegular(filepath.Join(dir, "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("OpenRegular(missing) = %v, want ErrNotExist", err)
	}
}

// ReplaceFile puts a new file of its own mode where a link was, and leaves
// the file the link pointed to alone (a ready file in a shared folder).
func TestReplaceFileReplacesALink(t *testing.T) {
	wine.Skip(t, wine.Symlinks)
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	if err := os.WriteFile(victim, []byte("precious"), 0o644); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "ready.json")
	if err := os.Symlink(victim, path); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if err := ReplaceFile(path, []byte("secret"), 0o600); err != nil {
		t.Fatal(err)
	}
	if data, _ := os.ReadFile(victim); string(data) != "precious" {
		t.Errorf("the link's target was written: %q", data)
	}
	info, err := os.Lstat(path)
	if err != nil || !info.Mode().IsRegular() {
		t.Fatalf("%s is not a regular file: %v", path, err)
	}
	if runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600", info.Mode().Perm())
	}
	if data, _ := os.ReadFile(path); string(data) != "secret" {
		t.Errorf("%s holds %q", path, data)
	}
}

// ReplaceFile refuses a folder at its name rather than failing in rename.
func TestReplaceFileRefusesAFolder(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ready.json")
	if err := os.Mkdir(path, 0o755); err != nil {
		t.Fatal(err)
	}
	var nr *NotRegularError
	if err := ReplaceFile(path, []byte("x"), 0o600); !errors.As(err, &nr) {
		t.Errorf("ReplaceFile over a folder: %v, want a *NotRegularError", err)
	}
}

func TestDescribeNotRegular(t *testing.T) {
	for mode, want := range map[fs.FileMode]string{
		fs.ModeDir:                        "a folder, not a file",
		fs.ModeNamedPipe:                  "a named pipe (FIFO), not a regular file",
		fs.ModeSocket:                     "a socket, not a regular file",
		fs.ModeDevice | fs.ModeCharDevice: "a device, not a regular file",
		fs.ModeIrregular:                  "not a regular file",
	} {
		if got := DescribeNotRegular(mode); got != want {
			t.Errorf("DescribeNotRegular(%v) = %q, want %q", mode, got, want)
		}
	}
}
