//go:build !unix

package fsutil

import "os"

// openNoWait opens path for reading. Outside Unix a path in a folder cannot
// be a FIFO (Windows' named pipes live under \\.\pipe\), so opening never
// waits.
func openNoWait(path string) (*os.File, error) { return os.Open(path) }

// writable: on Windows the permission bits are the read-only attribute,
// which WriteFile has looked at already.
func writable(string) bool { return true }
