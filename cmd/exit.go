package cmd

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Exit codes are part of bgtask's interface: CI scripts branch on them. They
// are documented in README.md ("Exit codes") and must not change meaning.
const (
	ExitOK = 0
	// ExitFailure: lint found errors, or a task instance did not complete.
	ExitFailure = 1
	// ExitUsage: bad flags or arguments, or invalid input (malformed XML, a
	// corrupt registry). Nothing was written.
	ExitUsage = 2
	// ExitNotDelivered: nothing ran because no registration matched the
	// trigger, or its conditions were unmet.
	ExitNotDelivered = 3
	// ExitOperational: the input was fine but the work could not be done
	// (a file could not be written, a lock not taken), or the command's
	// output could not be written (output.go says whether the change was made).
	ExitOperational = 4
	// exitSignalBase: a command stopped by a signal exits 128+its number,
	// as shells report it: 130 for Ctrl-C (SIGINT), 143 for SIGTERM, 129
	// for SIGHUP.
	exitSignalBase = 128
)

// exitSignaled is the exit code of a command stopped by sig.
func exitSignaled(sig os.Signal) int {
	if s, ok := sig.(syscall.Signal); ok {
		return exitSignalBase + int(s)
	}
	return exitSignalBase + int(syscall.SIGINT)
}

// ExitError carries the exit code a failure maps to. Commands classify every
// error they return with one of the helpers below; Main turns it into the
// process exit code in one place.
type ExitError struct {
	Code int
	Err  error
	// Silent errors have already been reported (lint findings, a failed
	// task instance) and print nothing more.
	Silent bool
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// usageError: the user's input was wrong (exit 2).
func usageError(err error) error { return &ExitError{Code: ExitUsage, Err: err} }

// usageErrorf formats a usage error.
func usageErrorf(format string, a ...any) error { return usageError(fmt.Errorf(format, a...)) }

// operationalError: the input was fine but the work failed (exit 4).
func operationalError(err error) error { return &ExitError{Code: ExitOperational, Err: err} }

// silentExit ends the command with code after it has reported on its own.
func silentExit(code int) error { return &ExitError{Code: code, Silent: true} }

// exitCode maps an error returned by the command tree to a process exit code.
// Errors that no command classified come from cobra itself (unknown flags,
// wrong argument counts, unknown commands) and are usage errors.
func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	return ExitUsage
}
