//go:build !(linux || darwin || freebsd)

package plugin

import (
	"errors"
	"os"
)

// moveStdoutToStderr is not available here; divertStdout falls back to
// swapping the os.Stdout variable.
func moveStdoutToStderr() (*os.File, error) {
	return nil, errors.New("moving file descriptor 1 is not supported on this system")
}
