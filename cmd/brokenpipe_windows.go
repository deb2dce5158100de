package cmd

import (
	"errors"

	"golang.org/x/sys/windows"
)

// isBrokenPipe says whether err is a write to a pipe whose reader has gone.
// Windows has no EPIPE: a write to a closed pipe fails with ERROR_NO_DATA
// ("The pipe is being closed"), ERROR_BROKEN_PIPE, or, under Wine,
// ERROR_PIPE_NOT_CONNECTED ("Pipe not connected").
func isBrokenPipe(err error) bool {
	return errors.Is(err, windows.ERROR_NO_DATA) || errors.Is(err, windows.ERROR_BROKEN_PIPE) ||
		errors.Is(err, windows.ERROR_PIPE_NOT_CONNECTED)
}
