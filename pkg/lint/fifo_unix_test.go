//go:build unix

package lint

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// readRegular refuses a FIFO at once instead of waiting for a writer (the
// file may have been swapped for one after it was listed).
func TestReadRegularNeverWaitsOnAFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "Package.appxmanifest")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := readRegular(fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a FIFO was read as a manifest")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("opening a FIFO blocked")
	}
}
