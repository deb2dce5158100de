// Package fsutil writes users' files safely: atomically (a reader or a crash
// sees the old bytes or the new ones, never a mix) and under an exclusive lock
// where two bgtask processes could race on the same file.
package fsutil

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/gofrs/flock"
)

// WriteFile replaces path with data atomically: it writes a temporary file in
// the same folder (so the rename never crosses file systems), syncs it, gives
// it the mode of the file it replaces (perm for a new file), renames it over
// path, and syncs the folder so the rename itself survives a power cut.
//
// A path that is a symbolic link is written through: the file it points at
// is replaced and the link stays a link. A file that nobody may write
// (chmod 444, Windows' read-only attribute: how TFVC and Perforce mark a file
// that is not checked out) is refused with an *ReadOnlyError: the rename
// would replace it all the same, silently undoing the user's protection.
func WriteFile(path string, data []byte, perm fs.FileMode) (err error) {
	target := Target(path)
	dir, base := filepath.Split(target)
	if dir == "" {
		dir = "."
	}
	if info, statErr := os.Stat(target); statErr == nil {
		if !info.Mode().IsRegular() {
			return &NotRegularError{Path: path, Mode: info.Mode()}
		}
		if info.Mode().Perm()&0o222 == 0 || !writable(target) {
			return &ReadOnlyError{Path: path}
		}
		perm = info.Mode().Perm()
	}
	return writeAndRename(path, target, dir, base, data, perm)
}

// ReplaceFile writes data to path atomically as a new file of mode perm,
// whatever is at path: a symbolic link there is replaced, not followed, and
// the mode is perm, not that of a file it replaces. It is for files bgtask
// owns and that may be named in a folder other users can write (a ready
// file in /tmp), where following a link planted there would write the data
// into another file.
func ReplaceFile(path string, data []byte, perm fs.FileMode) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	if info, err := os.Lstat(path); err == nil && info.IsDir() {
		return &NotRegularError{Path: path, Mode: info.Mode()}
	}
	return writeAndRename(path, path, dir, base, data, perm)
}

// writeAndRename writes data to a temporary file in dir, syncs it, gives it
// perm and renames it over target; path names it in errors.
func writeAndRename(path, target, dir, base string, data []byte, perm fs.FileMode) (err error) {
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
	if err = os.Rename(tmpName, target); err != nil {
		return fmt.Errorf("replacing %s: %w", path, err)
	}
	return syncDir(dir)
}

// Target is the file that writing path replaces: path itself, or the file
// a symbolic link at path points to, through any chain of links, even when
// that file does not exist yet (a link made before its target is: the write
// creates the target and the link stays a link). A link that cannot be
// followed (a loop) leaves path.
func Target(path string) string {
	if resolved, err := filepath.EvalSymlinks(path); err == nil {
		return resolved
	}
	// EvalSymlinks fails on a link whose target is missing: follow the
	// chain by hand, as far as it goes.
	current := path
	for range maxLinks {
		dest, err := os.Readlink(current)
		if err != nil {
			// Not a link (the end of the chain: the target, or path itself
			// when it is no link), or not there (a missing target).
			return current
		}
		if !filepath.IsAbs(dest) {
			dest = filepath.Join(filepath.Dir(current), dest)
		}
		current = dest
	}
	return path
}

// maxLinks bounds Target's walk along a chain of links, as the kernel's
// ELOOP does (40 on Linux).
const maxLinks = 40

// OpenRegular opens path (following links) for reading if it is a regular
// file, and refuses anything else with a *NotRegularError. It never waits,
// even on a FIFO (openNoWait).
func OpenRegular(path string) (*os.File, fs.FileInfo, error) {
	f, err := openNoWait(path)
	if err != nil {
		return nil, nil, err
	}
	info, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, nil, err
	}
	if !info.Mode().IsRegular() {
		f.Close()
		return nil, nil, &NotRegularError{Path: path, Mode: info.Mode()}
	}
	return f, info, nil
}

// ReadRegular reads the regular file at path, at most limit bytes and one
// more (so that the caller can tell a file over its limit), as os.ReadFile
// would, but never waits on a FIFO or reads a device: anything that is not
// a regular file is a *NotRegularError. A missing file is fs.ErrNotExist.
func ReadRegular(path string, limit int64) ([]byte, error) {
	f, info, err := OpenRegular(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	size := min(info.Size(), limit) + 1
	buf := bytes.NewBuffer(make([]byte, 0, size+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(f, limit+1))
	return buf.Bytes(), err
}

// NotRegularError: a path that must name a regular file names a folder, a
// FIFO, a socket or a device.
type NotRegularError struct {
	Path string
	Mode fs.FileMode
}

func (e *NotRegularError) Error() string { return e.Path + " is " + DescribeNotRegular(e.Mode) }

// DescribeNotRegular says what a file of mode m is, for an error that
// refuses it as not a regular file.
func DescribeNotRegular(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a folder, not a file"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe (FIFO), not a regular file"
	case m&fs.ModeSocket != 0:
		return "a socket, not a regular file"
	case m&fs.ModeDevice != 0:
		return "a device, not a regular file"
	}
	return "not a regular file"
}

// ReadOnlyError: WriteFile refused to replace a read-only file.
type ReadOnlyError struct{ Path string }

func (e *ReadOnlyError) Error() string {
	return fmt.Sprintf("%s is read-only, so bgtask leaves it unchanged: make it writable (check it out in "+
		"TFVC or Perforce, clear its read-only attribute, or chmod u+w) and run again", e.Path)
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
	entries, err := os.ReadDir(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("looking for leftover temporary files of %s: %w", path, err)
	}
	for _, e := range entries {
		if !isTempOf(e.Name(), base) {
			continue
		}
		f := filepath.Join(dir, e.Name())
		if err := os.Remove(f); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing leftover %s: %w", f, err)
		}
	}
	return nil
}

// isTempOf says whether name is one of WriteFile's temporary files for a
// file named base: tempPattern with its "*" made of digits, as
// os.CreateTemp makes it. Compared as text, not as a pattern: a base name
// with "*", "?" or "[" in it must match only its own temporary files.
func isTempOf(name, base string) bool {
	prefix := strings.TrimSuffix(tempPattern(base), "*")
	rest, ok := strings.CutPrefix(name, prefix)
	if !ok || rest == "" {
		return false
	}
	for _, c := range rest {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
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
	if err != nil || !ok {
		return nil, lockError(ctx, lockPath, err)
	}
	return fl.Unlock, nil
}

// lockError says why lockPath was not locked: the context's cause when it
// ended the wait (the caller's bound on it, a signal), else err.
func lockError(ctx context.Context, lockPath string, err error) error {
	if ctx.Err() != nil {
		err = context.Cause(ctx)
	}
	return fmt.Errorf("locking %s: %w", lockPath, err)
}

// SiblingLockPath is the lock file for a file bgtask owns (the registry):
// "<path>.lock" beside it.
func SiblingLockPath(path string) string { return path + ".lock" }

// UserFileLockPath is the lock file for a file the user owns (a manifest in
// their project): a hidden file beside it, which LockTransient removes again,
// so no stray file stays in the source tree. Beside the file, not in a
// shared folder such as /tmp: a world-writable folder would let one user's
// lock file lock out every other user, and invite squatting and planted
// links at a predictable name.
func UserFileLockPath(path string) string {
	dir, base := filepath.Split(path)
	return filepath.Join(dir, "."+base+".bgtask-lock")
}

// LockTransient is Lock on a lock file that is removed on unlock. A process
// that waited on the removed file holds a lock nobody else will ask for,
// so after taking the lock it checks that lockPath still names the file it
// locked, and tries again if not.
func LockTransient(ctx context.Context, lockPath string) (unlock func() error, err error) {
	for {
		fl := flock.New(lockPath)
		ok, err := fl.TryLockContext(ctx, 10*time.Millisecond)
		if err != nil && openRaced(err) && ctx.Err() == nil {
			// Another process is removing the lock file this instant; it
			// will be gone or free in a moment.
			time.Sleep(10 * time.Millisecond)
			continue
		}
		if err != nil || !ok {
			return nil, lockError(ctx, lockPath, err)
		}
		held, errHeld := fl.Stat()
		named, errNamed := os.Stat(lockPath)
		if errHeld == nil && errNamed == nil && os.SameFile(held, named) {
			return func() error {
				// Removed while still locked, so no one can lock it after us
				// and find the name taken by a new file. Windows refuses to
				// remove an open file: there it is removed after the unlock,
				// unless another process has it open (and will check).
				removed := os.Remove(lockPath) == nil
				err := fl.Unlock()
				if !removed {
					_ = os.Remove(lockPath)
				}
				return err
			}, nil
		}
		_ = fl.Unlock()
	}
}
