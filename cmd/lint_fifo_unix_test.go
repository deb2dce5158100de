//go:build unix

package cmd

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// A FIFO named like a manifest (X.appxmanifest) in a linted folder is
// skipped and named; opening it used to block lint forever. Named on the
// command line, it is refused at once (exit 2).
func TestLintSkipsFIFOs(t *testing.T) {
	dir := t.TempDir()
	seed, err := os.ReadFile("../testdata/seed/Package.appxmanifest")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "Package.appxmanifest"), seed, 0o644); err != nil {
		t.Fatal(err)
	}
	fifo := filepath.Join(dir, "X.appxmanifest")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	// A link to the FIFO is no way around it.
	if err := os.Symlink(fifo, filepath.Join(dir, "Y.appxmanifest")); err != nil {
		t.Fatal(err)
	}

	c := startBgtask(t, dir, "lint", "--no-registry", ".")
	var stderr strings.Builder
	c.Stderr = &stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	code, _ := waitExit(t, c, 20*time.Second)
	if code != ExitOK && code != ExitFailure {
		t.Errorf("lint DIR: exit %d; stderr: %s", code, stderr.String())
	}
	for _, want := range []string{"skipped X.appxmanifest: a named pipe (FIFO)", "skipped Y.appxmanifest: a named pipe (FIFO)", "in 1 manifest"} {
		if !strings.Contains(stderr.String(), want) {
			t.Errorf("lint DIR: stderr lacks %q: %s", want, stderr.String())
		}
	}

	c = startBgtask(t, dir, "lint", "--no-registry", "X.appxmanifest")
	stderr.Reset()
	c.Stderr = &stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	if code, _ := waitExit(t, c, 20*time.Second); code != ExitUsage || !strings.Contains(stderr.String(), "named pipe") {
		t.Errorf("lint FIFO: exit %d, want %d with a reason; stderr: %s", code, ExitUsage, stderr.String())
	}
}
