//go:build unix

package tasks

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A FIFO as the registry is refused at once, by reads and by writes, and
// stays a FIFO. Reading it used to wait for a writer forever, register did
// so while holding the registry's lock, and a writer then renamed a regular
// file over it.
func TestRegistryPathThatIsAFIFO(t *testing.T) {
	path := filepath.Join(t.TempDir(), "ff.json")
	if err := syscall.Mkfifo(path, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	want := "registry " + path + " is a named pipe (FIFO), not a regular file: the registry is a JSON file; pass its path with --registry, or leave the flag out for the app's .bgtask/registry.json"
	done := make(chan [2]error, 1)
	go func() {
		_, errLoad := Load(path)
		_, errRegister := Register(context.Background(), path, seedRequest(), RegisterOptions{})
		done <- [2]error{errLoad, errRegister}
	}()
	select {
	case errs := <-done:
		for i, err := range errs {
			if !errors.Is(err, ErrInvalidInput) || err.Error() != want {
				t.Errorf("%s: %v\nwant %s", [2]string{"Load", "Register"}[i], err, want)
			}
		}
	case <-time.After(10 * time.Second):
		t.Fatal("still waiting on the FIFO after 10 s")
	}
	if info, err := os.Lstat(path); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", err)
	}
	if _, err := os.Stat(path + ".lock"); !os.IsNotExist(err) {
		t.Errorf("a lock file was left beside the FIFO: %v", err)
	}
}
