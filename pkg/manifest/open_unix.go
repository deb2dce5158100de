//go:build unix

package manifest

import (
	"os"
	"syscall"
)

// openNoWait opens path for reading without waiting: opening a FIFO blocks
// until a writer comes unless O_NONBLOCK is given, and the flag changes
// nothing for reads of a regular file. (internal/fsutil has the same; this
// package imports nothing of bgtask's.)
func openNoWait(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
