//go:build unix

package tasks

import (
	"context"
	"io"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Spec, Quality bars "Files": a process killed at any point leaves the old
// or the new registry, never a torn one. A child registers and unregisters
// in a tight loop and is SIGKILLed after a random delay; after every kill the
// registry must load. Unix only: it needs SIGKILL.
func TestKilledWriterNeverLeavesUnreadableRegistry(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a few hundred processes; skipped with -short")
	}
	const (
		iterations = 300
		budget     = 20 * time.Second
	)
	dir := t.TempDir()
	path := filepath.Join(dir, "registry.json")
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Now()
	ran, changed := 0, 0
	var last []byte
	for ran < iterations && time.Since(start) < budget {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), childEnv+"=register-loop", "REGISTRY="+path)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		ready := make([]byte, len("ready\n"))
		if _, err := io.ReadFull(stdout, ready); err != nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
			t.Fatalf("the writer did not start: %v: %s", err, stderr.String())
		}
		// A write cycle (lock, read, write, fsync, rename, fsync) takes one
		// to a few milliseconds (more under -race); delays up to several
		// cycles land the kill anywhere in it.
		time.Sleep(time.Duration(rng.IntN(20000)) * time.Microsecond)
		_ = cmd.Process.Signal(syscall.SIGKILL)
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() {
			t.Fatalf("iteration %d: the writer exited on its own (%v): %s", ran, err, stderr.String())
		}
		ran++
		data, err := os.ReadFile(path)
		if os.IsNotExist(err) {
			continue // killed before its first write
		}
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(path, data); err != nil {
			t.Fatalf("iteration %d: the registry is unreadable after a kill: %v", ran, err)
		}
		if string(data) != string(last) {
			changed++
		}
		last = data
	}
	temps, _ := filepath.Glob(filepath.Join(dir, ".registry.json.tmp-*"))
	t.Logf("%d kills in %v; the registry changed between %d of them; %d temporary files left by killed writers",
		ran, time.Since(start).Round(time.Millisecond), changed, len(temps))
	if ran < 50 {
		t.Errorf("only %d kills ran in %v; too few to mean anything", ran, budget)
	}
	if changed < ran/4 {
		t.Errorf("the registry changed between only %d of %d kills; the writer is not being killed mid-work", changed, ran)
	}
	// The next locked update sweeps what killed writers left behind.
	if err := update(context.Background(), path, func(*Registry) (bool, error) { return false, nil }); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".registry.json.tmp-*")); len(left) != 0 {
		t.Errorf("%d temporary files left after a locked update: %v", len(left), left)
	}
}
