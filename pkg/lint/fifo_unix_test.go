//go:build unix

package lint

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
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
	go func() { _, err := readRegular(fifo, nil); done <- err }()
	select {
	case err := <-done:
		if err == nil {
			t.Error("a FIFO was read as a manifest")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("opening a FIFO blocked")
	}
}

// What is not a regular file is named for what it is, and never read.
func TestReadRegularNamesWhatItRefuses(t *testing.T) {
	for path, want := range map[string]string{
		t.TempDir(): "a folder, not a file",
		"/dev/null": "a device, not a regular file",
	} {
		if _, err := readRegular(path, nil); err == nil || err.Error() != want {
			t.Errorf("readRegular(%s) = %v, want %q", path, err, want)
		}
	}
	if _, err := readRegular(filepath.Join(t.TempDir(), "missing"), nil); !errors.Is(err, fs.ErrNotExist) || !strings.HasSuffix(err.Error(), "missing: no such file or directory") {
		t.Errorf("a missing file: %v", err)
	}
	// A file larger than its first read, and one that is empty, are read whole.
	dir := t.TempDir()
	for _, size := range []int{0, 1, 4096, 70000} {
		want := bytes.Repeat([]byte("x"), size)
		p := filepath.Join(dir, "f")
		if err := os.WriteFile(p, want, 0o644); err != nil {
			t.Fatal(err)
		}
		if got, err := readRegular(p, nil); err != nil || !bytes.Equal(got, want) {
			t.Errorf("size %d: read %d bytes, %v", size, len(got), err)
		}
	}
}

// A FIFO found as .bgtask-lint.json is refused at once: lint used to block
// in its open until a writer came, forever in CI.
func TestLoadConfigNeverWaitsOnAFIFO(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), ConfigName)
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := LoadConfig(fifo); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "a named pipe (FIFO), not a regular file; a lint configuration is a JSON file") {
			t.Errorf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("opening a FIFO configuration blocked")
	}
}

// A FIFO where the registry goes is refused at once, as tasks.Load refuses
// it: lint's registry cross-checks used to block in its read.
func TestLoadProjectNeverWaitsOnAFIFO(t *testing.T) {
	dir := t.TempDir()
	registry := filepath.Join(dir, "registry.json")
	if err := syscall.Mkfifo(registry, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := LoadProject(dir, filepath.Join(dir, "Package.appxmanifest"), registry); done <- err }()
	select {
	case err := <-done:
		if err == nil || !strings.Contains(err.Error(), "is a named pipe (FIFO), not a regular file (--no-registry skips the registry checks)") {
			t.Errorf("err = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("LoadProject blocked on a FIFO")
	}
}
