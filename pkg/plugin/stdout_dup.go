//go:build linux || darwin || freebsd

package plugin

import (
	"fmt"
	"os"
	"syscall"
)

// moveStdoutToStderr duplicates file descriptor 1 for the protocol, then
// makes descriptor 1 a copy of descriptor 2.
func moveStdoutToStderr() (*os.File, error) {
	fd, err := syscall.Dup(1)
	if err != nil {
		return nil, fmt.Errorf("duplicating stdout: %w", err)
	}
	syscall.CloseOnExec(fd) // the task's children must not inherit the protocol stream
	if err := dupOnto(2, 1); err != nil {
		syscall.Close(fd)
		return nil, fmt.Errorf("pointing stdout at stderr: %w", err)
	}
	return os.NewFile(uintptr(fd), "protocol-stdout"), nil
}
