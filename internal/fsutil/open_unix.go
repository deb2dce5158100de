//go:build unix

package fsutil

import (
	"os"

	"golang.org/x/sys/unix"
)

// openNoWait opens path for reading without waiting: opening a FIFO blocks
// until a writer comes unless O_NONBLOCK is given, and the flag changes
// nothing for reads of a regular file.
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|unix.O_NONBLOCK, 0)
}

// writable says whether this process may write the file at path, by the
// system's own check: the permission bits alone say nothing of whose they
// are (0464 leaves its owner unable to write while the group can).
func writable(path string) bool {
	return unix.Access(path, unix.W_OK) == nil
}
