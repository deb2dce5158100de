package fsutil

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bgtask/bgtask/internal/wine"
)

func TestWriteFileReplacesAndKeepsMode(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "Package.appxmanifest")
	if err := os.WriteFile(path, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(path)
	if err != nil || string(got) != "new" {
		t.Fatalf("content = %q, %v; want new", got, err)
	}
	if runtime.GOOS != "windows" {
		info, _ := os.Stat(path)
		if info.Mode().Perm() != 0o640 {
			t.Errorf("mode = %v, want the original 0640", info.Mode().Perm())
		}
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("folder holds %d entries, want only the file (no temporary left behind)", len(entries))
	}
}

func TestWriteFileFailureLeavesOriginal(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "missing-folder", "f")
	if err := WriteFile(path, []byte("x"), 0o644); err == nil {
		t.Fatal("writing into a missing folder succeeded")
	}
	// A failure after the temporary file exists (the rename: path is a
	// folder) leaves what was at path as it was, and no temporary behind.
	path = filepath.Join(dir, "occupied")
	if err := os.MkdirAll(filepath.Join(path, "inside"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("x"), 0o644); err == nil {
		t.Fatal("replacing a folder succeeded")
	}
	if entries, _ := os.ReadDir(path); len(entries) != 1 || entries[0].Name() != "inside" {
		t.Errorf("the folder at the path was changed: %v", entries)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 || entries[0].Name() != "occupied" {
		t.Errorf("%s holds %v, want only the untouched folder (no temporary left behind)", dir, entries)
	}
}

func TestLockExcludes(t *testing.T) {
	lockPath := filepath.Join(t.TempDir(), "r.lock")
	ctx := context.Background()
	var mu sync.Mutex
	inside := 0
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			unlock, err := Lock(ctx, lockPath)
			if err != nil {
				t.Error(err)
				return
			}
			mu.Lock()
			inside++
			if inside != 1 {
				t.Errorf("%d holders of an exclusive lock", inside)
			}
			mu.Unlock()
			time.Sleep(2 * time.Millisecond)
			mu.Lock()
			inside--
			mu.Unlock()
			_ = unlock()
		}()
	}
	wg.Wait()
}

func TestLockHonoursContext(t *testing.T) {
	lockPath := filepath.Join(t.TempDir(), "r.lock")
	unlock, err := Lock(context.Background(), lockPath)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := Lock(ctx, lockPath); err == nil {
		t.Fatal("second lock succeeded while the first was held")
	}
}

// A manifest's lock is a hidden file beside it, never in a shared folder
// such as /tmp/bgtask-locks, where one user's lock file locked out every
// other user.
func TestUserFileLockPathIsBesideTheFile(t *testing.T) {
	p := UserFileLockPath(filepath.Join("app", "Package.appxmanifest"))
	if want := filepath.Join("app", ".Package.appxmanifest.bgtask-lock"); p != want {
		t.Errorf("lock path %s, want %s", p, want)
	}
}

// LockTransient excludes like Lock, leaves no file behind, and a waiter
// whose lock file was removed under it locks the new one, not the removed.
func TestLockTransientExcludesAndLeavesNothing(t *testing.T) {
	dir := t.TempDir()
	lockPath := UserFileLockPath(filepath.Join(dir, "Package.appxmanifest"))
	var mu sync.Mutex
	inside := 0
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				unlock, err := LockTransient(context.Background(), lockPath)
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				inside++
				if inside != 1 {
					t.Errorf("%d holders at once", inside)
				}
				mu.Unlock()
				time.Sleep(100 * time.Microsecond)
				mu.Lock()
				inside--
				mu.Unlock()
				if err := unlock(); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	if _, err := os.Lstat(lockPath); !os.IsNotExist(err) {
		t.Errorf("lock file left behind: %v", err)
	}
}

// A file reached through a symbolic link is replaced where the link
// points; the link stays a link (a registry kept in a dotfiles repository).
func TestWriteFileThroughSymlinkKeepsTheLink(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "real.json")
	link := filepath.Join(dir, "link.json")
	if err := os.WriteFile(real, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	wine.Skip(t, wine.Symlinks)
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("symlink: %v", err)
	}
	if err := WriteFile(link, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the link was replaced: %v %v", info.Mode(), err)
	}
	if data, _ := os.ReadFile(real); string(data) != "new" {
		t.Errorf("target holds %q, want new", data)
	}
}

// A read-only file (chmod 444; a file TFVC or Perforce has not checked out)
// is refused, not replaced through the rename, even by root.
func TestWriteFileRefusesReadOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.json")
	if err := os.WriteFile(path, []byte("old"), 0o444); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(path, []byte("new"), 0o644)
	var ro *ReadOnlyError
	if !errors.As(err, &ro) || !strings.Contains(err.Error(), "read-only") {
		t.Errorf("WriteFile of a read-only file: %v, want a *ReadOnlyError", err)
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("file holds %q, want old", data)
	}
}

func TestRemoveStaleTempsRemovesOnlyThisFilesTemps(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "registry.json")
	for _, name := range []string{"registry.json", ".registry.json.tmp-123", ".registry.json.tmp-456", ".other.json.tmp-1", "notes.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := RemoveStaleTemps(path); err != nil {
		t.Fatal(err)
	}
	var left []string
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		left = append(left, e.Name())
	}
	want := []string{".other.json.tmp-1", "notes.txt", "registry.json"}
	if strings.Join(left, ",") != strings.Join(want, ",") {
		t.Errorf("left %v, want %v", left, want)
	}
}
