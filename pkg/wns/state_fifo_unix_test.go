//go:build unix

package wns

import (
	"errors"
	"os"
	"syscall"
	"testing"
	"time"
)

// A FIFO where the WNS state file goes is refused at once as bad input:
// channel list and serve used to block in its read until a writer came.
func TestLoadRefusesAFIFOWithoutWaiting(t *testing.T) {
	s := Store{Dir: t.TempDir()}
	if err := syscall.Mkfifo(s.Path(), 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := s.Load(); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("err = %v, want ErrCorrupt (bad input, exit 2)", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load blocked on a FIFO")
	}
	if info, err := os.Lstat(s.Path()); err != nil || info.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v %v", info, err)
	}
}
