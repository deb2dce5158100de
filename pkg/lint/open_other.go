//go:build !unix

package lint

import (
	"errors"
	"os"

	"github.com/bgtask/bgtask/internal/fsutil"
)

// readRegular reads the regular file at path, into buf if it is large
// enough. Outside Unix, a path in a
// folder cannot be a FIFO (Windows' named pipes live under \\.\pipe\), so
// opening never waits; what is opened is still checked to be a regular file.
func readRegular(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, errors.New(fsutil.DescribeNotRegular(info.Mode()))
	}
	return readSized(info.Size(), buf, f.Read)
}
