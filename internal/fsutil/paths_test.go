package fsutil

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// The temporary file goes in the folder of the file it replaces, never in
// the working folder or the system's temporary folder: a rename across file
// systems would fail or would not be atomic. Each case makes the wrong folder
// unusable, so a temporary file put there fails the write.
func TestWriteFileTempBesideTheFile(t *testing.T) {
	t.Run("relative name in the working folder", func(t *testing.T) {
		dir := t.TempDir()
		t.Chdir(dir)
		t.Setenv("TMPDIR", filepath.Join(dir, "no-such-folder"))
		if err := WriteFile("registry.json", []byte("new"), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(filepath.Join(dir, "registry.json")); err != nil || string(got) != "new" {
			t.Fatalf("content %q, %v", got, err)
		}
	})
	t.Run("path in another folder", func(t *testing.T) {
		target := t.TempDir()
		gone := t.TempDir()
		t.Chdir(gone)
		if runtime.GOOS == "windows" {
			t.Skip("Windows cannot remove the working folder")
		}
		if err := os.Remove(gone); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join(target, "registry.json")
		if err := WriteFile(path, []byte("new"), 0o644); err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(path); err != nil || string(got) != "new" {
			t.Fatalf("content %q, %v", got, err)
		}
	})
}

// syncDir really opens the folder outside Windows: a folder that is not
// there is an error, not a silent success.
func TestSyncDirReportsAMissingFolder(t *testing.T) {
	err := syncDir(filepath.Join(t.TempDir(), "missing"))
	if runtime.GOOS == "windows" {
		if err != nil {
			t.Errorf("syncDir on Windows: %v, want nil (nothing to sync)", err)
		}
		return
	}
	if err == nil {
		t.Error("syncDir of a missing folder succeeded")
	}
}

// Two spellings of one file share one lock: the lock file is beside the
// file, so `--manifest Package.appxmanifest` run in the app's folder and
// `--manifest ./sub/../Package.appxmanifest` exclude each other.
func TestUserFileLockPathIgnoresSpelling(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	want := UserFileLockPath(filepath.Join(dir, "Package.appxmanifest"))
	for _, p := range []string{"Package.appxmanifest", "./Package.appxmanifest", filepath.Join("sub", "..", "Package.appxmanifest")} {
		if got, _ := filepath.Abs(UserFileLockPath(p)); got != want {
			t.Errorf("UserFileLockPath(%q) = %s, want %s (the absolute path's lock)", p, got, want)
		}
	}
	if other := UserFileLockPath(filepath.Join(dir, "Other.appxmanifest")); other == want {
		t.Errorf("two files share the lock %s", other)
	}
}

// A lock not taken says why: the cause the caller gave its context (a
// signal), or the file system's error when the context is still live.
func TestLockErrorSaysWhy(t *testing.T) {
	dir := t.TempDir()
	unlock, err := Lock(context.Background(), filepath.Join(dir, "r.lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	cause := errors.New("interrupted by SIGINT")
	ctx, cancel := context.WithCancelCause(context.Background())
	cancel(cause)
	if _, err := Lock(ctx, filepath.Join(dir, "r.lock")); !errors.Is(err, cause) {
		t.Errorf("Lock with a canceled context: %v, want the cause", err)
	}
	if _, err := LockTransient(ctx, filepath.Join(dir, "r.lock")); !errors.Is(err, cause) {
		t.Errorf("LockTransient with a canceled context: %v, want the cause", err)
	}
	missing := filepath.Join(dir, "no-such-folder", "m.lock")
	if _, err := LockTransient(context.Background(), missing); !errors.Is(err, fs.ErrNotExist) || !strings.HasPrefix(err.Error(), "locking "+missing+": ") {
		t.Errorf("LockTransient in a missing folder: %v, want the file system's error", err)
	}
}
