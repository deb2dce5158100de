//go:build !unix

package manifest

import "os"

// openNoWait opens path for reading. Outside Unix a path in a folder cannot
// be a FIFO, so opening never waits.
func openNoWait(path string) (*os.File, error) { return os.Open(path) }
