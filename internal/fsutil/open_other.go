//go:build !unix

package fsutil

import (
	"io/fs"
	"os"
)

// OpenRegular opens path (following links) for reading if it is a regular
// file, and refuses anything else with a *NotRegularError. Outside Unix a
// path in a folder cannot be a FIFO (Windows' named pipes live under
// \\.\pipe\), so opening never waits.
func OpenRegular(path string) (*os.File, fs.FileInfo, error) {
	f, err := os.Open(path)
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

// writable: on Windows the permission bits are the read-only attribute,
// which WriteFile has looked at already.
func writable(string) bool { return true }
