package tasks

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/bgtask/bgtask/internal/shutdown"
)

// Load reads the registry at path. A file that does not exist is an empty
// registry, and is not created. A file that cannot be read back is a
// *CorruptError or *VersionError (both match ErrInvalidInput); other errors
// are I/O failures.
//
// Load takes no lock: writers replace the file atomically, so a reader sees
// the old registry or the new one, never a torn file.
func Load(path string) (*Registry, error) {
	f, info, err := fsutil.OpenRegular(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &Registry{Path: path}, nil
	}
	if err != nil {
		return nil, readError(path, err)
	}
	defer f.Close()
	// One byte past the limit is enough for Decode to refuse the file,
	// whatever its size (a growing file has no honest one).
	var buf bytes.Buffer
	if info.Size() < MaxFileSize {
		// ReadFrom wants MinRead bytes free before each read, the last one too.
		buf.Grow(int(info.Size()) + bytes.MinRead)
	}
	_, err = buf.ReadFrom(io.LimitReader(f, MaxFileSize+1))
	data := buf.Bytes()
	if err != nil {
		return nil, fmt.Errorf("reading registry: %w", err)
	}
	// buf is Load's own and is not written again: the registrations'
	// strings share it.
	return decode(path, data, false, true)
}

// update runs change on the registry at path under its lock and writes the
// result if change reports a modification. The sequence (lock, read, change,
// atomic replace, unlock) is what makes parallel bgtask processes lose
// nothing and a killed one leave the old or the new file.
func update(ctx context.Context, path string, change func(*Registry) (changed bool, err error)) error {
	// A registry that is a link is changed where it points, under that
	// file's lock, and stays a link.
	target := fsutil.Target(path)
	// Nothing to lock (the lock file would be left beside it) when what is
	// there is no registry at all.
	if info, err := os.Stat(target); err == nil && !info.Mode().IsRegular() {
		return readError(path, &fsutil.NotRegularError{Path: path, Mode: info.Mode()})
	}
	unlock, err := fsutil.Lock(ctx, fsutil.SiblingLockPath(target))
	if err != nil {
		return fmt.Errorf("registry %s is in use by another bgtask: %w", path, err)
	}
	defer func() { _ = unlock() }()
	// A writer killed mid-write leaves its temporary file; only a lock
	// holder can tell it is not a live writer's.
	if err := fsutil.RemoveStaleTemps(target); err != nil {
		return err
	}

	reg, err := Load(path)
	if err != nil {
		return err
	}
	changed, err := change(reg)
	if err != nil || !changed {
		return err
	}
	data, err := Encode(reg)
	if err != nil {
		return err
	}
	// A signal now either comes before the hold, and nothing is written, or
	// after, and bgtask exits once the new file is in place.
	defer shutdown.Hold(ctx)()
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("registry %s left unchanged: %w", path, err)
	}
	return fsutil.WriteFile(target, data, 0o644)
}

// readError is the error for a registry that cannot be read. A path that
// names a folder, a FIFO or a device is the caller's mistake (exit 2), not a
// failure to read.
func readError(path string, err error) error {
	var nr *fsutil.NotRegularError
	if errors.As(err, &nr) {
		return &PathError{Path: path, Reason: fsutil.DescribeNotRegular(nr.Mode) +
			": the registry is a JSON file; pass its path with --registry, or leave the flag out for the app's .bgtask/registry.json"}
	}
	return fmt.Errorf("reading registry: %w", err)
}

// PathError: the registry path names something that cannot be a registry.
// Nothing was read or written.
type PathError struct {
	Path   string
	Reason string
}

func (e *PathError) Error() string { return "registry " + e.Path + " is " + e.Reason }

func (e *PathError) Is(target error) bool { return target == ErrInvalidInput }
