package cmd

import (
	"context"
	"os"
	"testing"
)

// A reader that goes away (`bgtask lint --list-rules | head -1`) wanted no
// more output: bgtask exits 4 (set -o pipefail sees the output was cut) and
// says nothing, on every OS. Windows reports the closed pipe with its own
// errors, not EPIPE; it printed "write |1: The pipe is being closed."
func TestBrokenPipeIsQuiet(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	defer w.Close()
	io, _, _, errOut := TestIO()
	io.Out = w
	if code := Execute(context.Background(), io, []string{"lint", "--list-rules"}); code != ExitOperational || errOut.Len() != 0 {
		t.Errorf("exit %d, stderr %q; want %d and nothing said", code, errOut, ExitOperational)
	}
}
