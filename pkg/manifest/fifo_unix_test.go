//go:build unix

package manifest

import (
	"errors"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO named as the manifest is refused at once (manifest list, add,
// remove and register's check all load through Load): opening it used to
// wait for a writer for ever.
func TestLoadRefusesAFIFOWithoutWaiting(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "Package.appxmanifest")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := Load(fifo); done <- err }()
	select {
	case err := <-done:
		if !errors.Is(err, ErrNotManifest) {
			t.Errorf("Load(FIFO) = %v, want ErrNotManifest", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Load of a FIFO still waiting after 10 s")
	}
}
