//go:build unix

package fsutil

import (
	"io/fs"
	"os"

	"golang.org/x/sys/unix"
)

// OpenRegular opens path (following links) for reading if it is a regular
// file, and refuses anything else with a *NotRegularError. It never waits:
// opening a FIFO blocks until a writer comes unless O_NONBLOCK is given, and
// the flag changes nothing for reads of a regular file.
func OpenRegular(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|unix.O_NONBLOCK, 0)
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

// writable says whether this process may write the file at path, by the
// system's own check: the permission bits alone say nothing of whose they
// are (0464 leaves its owner unable to write while the group can).
func writable(path string) bool {
	return unix.Access(path, unix.W_OK) == nil
}
