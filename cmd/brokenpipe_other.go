//go:build !windows

package cmd

import (
	"errors"
	"syscall"
)

// isBrokenPipe says whether err is a write to a pipe whose reader has gone.
func isBrokenPipe(err error) bool { return errors.Is(err, syscall.EPIPE) }
