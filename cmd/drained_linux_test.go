package cmd

import (
	"os"
	"testing"
	"time"

	"golang.org/x/sys/unix"
)

// waitDrained waits until nothing is left to read in the pipe whose read
// end is r: the process it was given to has read it. TIOCINQ is Linux's
// name for FIONREAD: the bytes waiting in the pipe.
func waitDrained(t *testing.T, r *os.File) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if n, err := unix.IoctlGetInt(int(r.Fd()), unix.TIOCINQ); err != nil || n == 0 {
			return
		}
	}
	t.Fatal("the process never read its standard input")
}
