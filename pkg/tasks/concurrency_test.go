package tasks

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// Spec, Quality bars "Files": parallel register calls lose nothing. Sixteen
// separate processes (not goroutines: the lock must hold across processes)
// each register a distinct name at the same moment.
func TestParallelProcessesLoseNothing(t *testing.T) {
	const n = 16
	path := filepath.Join(t.TempDir(), ".bgtask", "registry.json")
	cmds := make([]*exec.Cmd, n)
	for i := range cmds {
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), childEnv+"=register-one", "REGISTRY="+path, fmt.Sprintf("NAME=task-%02d", i))
		cmd.Stderr = os.Stderr
		cmds[i] = cmd
	}
	for _, cmd := range cmds {
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Errorf("process %d: %v", i, err)
		}
	}
	reg, err := Load(path)
	if err != nil {
		t.Fatalf("the registry is not valid after parallel registration: %v", err)
	}
	if got := len(reg.Registrations); got != n {
		t.Fatalf("%d registrations, want %d: %v", got, n, reg.Names())
	}
	for i, r := range reg.Registrations {
		if want := fmt.Sprintf("task-%02d", i); r.Name != want {
			t.Errorf("registration %d is %q, want %q", i, r.Name, want)
		}
	}
}
