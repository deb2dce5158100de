// Package fsutil writes users' files safely: atomically (a reader or a crash
// sees the old bytes or the new ones, never a mix) and under an exclusive lock
// where two bgtask processes could race on the same file.
package fsutil

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"time"

	"github.com/gofrs/flock"
)

// WriteFile replaces path with data atomically: it writes a temporary file in
// the same folder (so the rename never crosses file systems), syncs it, gives
// it the mode of the file it replaces (perm for a new file), renames it over
// path, and syncs the folder so the rename itself survives a power cut.
func WriteFile(path string, data []byte, perm fs.FileMode) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if info, statErr := os.Stat(path); statErr == nil {
		perm = info.Mode().Perm()
	}
	tmp, err := os.CreateTemp(dir, tempPattern(base))
	if err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	tmpName := tmp.Name()
	defer func() {
		if err != nil {
			_ = os.Remove(tmpName)
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Sync(); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = tmp.Close(); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Chmod(tmpName, perm); err != nil {
		return fmt.Errorf("writing %s: %w", path, err)
	}
	if err = os.Rename(tmpName, path); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	return syncDir(dir)
}

// tempPattern names WriteFile's temporary files: hidden, and recognisably
// tied to the file they will replace, so RemoveStaleTemps can find them.
func tempPattern(base string) string { return "." + base + ".tmp-*" }

// RemoveStaleTemps deletes temporary files that a WriteFile of path left
// behind when its process was killed between creating and renaming them.
// Call it only while holding path's lock: without the lock, a live writer's
// temporary file could be removed under it.
func RemoveStaleTemps(path string) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	stale, err := filepath.Glob(filepath.Join(dir, tempPattern(base)))
	if err != nil {
		return err
	}
	for _, f := range stale {
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing leftover %s: %w", f, err)
		}
	}
	return nil
}

// syncDir makes a rename in dir durable. Windows cannot open a folder for
// syncing, and its MoveFileEx rename is already journaled by NTFS.
func syncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("syncing folder %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, os.ErrInvalid) {
		return fmt.Errorf("syncing folder %s: %w", dir, err)
	}
	return nil
}

// Lock takes an exclusive lock on lockPath (created if needed), waiting until
// it is free or ctx is done. Call the returned function to release it.
func Lock(ctx context.Context, lockPath string) (unlock func() error, err error) {
	if err := os.MkdirAll(filepath.Dir(lockPath), 0o755); err != nil {
		return nil, fmt.Errorf("creating lock %s: %w", lockPath, err)
	}
	fl := flock.New(lockPath)
	ok, err := fl.TryLockContext(ctx, 10*time.Millisecond)
	if err != nil {
		return nil, fmt.Errorf("locking %s: %w", lockPath, err)
	}
	if !ok {
		return nil, fmt.Errorf("locking %s: %w", lockPath, ctx.Err())
	}
	return fl.Unlock, nil
}

// SiblingLockPath is the lock file for a file bgtask owns (the registry):
// "<path>.lock" beside it.
func SiblingLockPath(path string) string { return path + ".lock" }

// UserFileLockPath is the lock file for a file the user owns (a manifest in
// their project): it lives in the temporary folder, keyed by the file's
// absolute path, so bgtask never leaves stray files in a source tree.
func UserFileLockPath(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	sum := sha256.Sum256([]byte(abs))
	return filepath.Join(os.TempDir(), "bgtask-locks", hex.EncodeToString(sum[:12])+".lock")
}
