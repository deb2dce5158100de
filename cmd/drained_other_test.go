//go:build unix && !linux

package cmd

import (
	"os"
	"testing"
	"time"
)

// waitDrained gives the process a moment to read its standard input: this
// system has no FIONREAD for a pipe in golang.org/x/sys.
func waitDrained(t *testing.T, _ *os.File) {
	t.Helper()
	time.Sleep(time.Second)
}
