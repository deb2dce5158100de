//go:build unix

package simulate

import (
	"os"
	"os/exec"
	"testing"
)

// processAlive: this process and init exist (init belongs to root, so a
// user's signal 0 gets EPERM: still alive); an exited child does not; 0 and
// negative pids, which kill(2) reads as process groups, are never alive.
func TestProcessAlive(t *testing.T) {
	cmd := exec.Command("true")
	if err := cmd.Run(); err != nil {
		t.Skip("no true(1):", err)
	}
	for _, tc := range []struct {
		pid  int
		want bool
	}{{os.Getpid(), true}, {1, true}, {cmd.Process.Pid, false}, {0, false}, {-1, false}} {
		if got := processAlive(tc.pid); got != tc.want {
			t.Errorf("processAlive(%d) = %v, want %v", tc.pid, got, tc.want)
		}
	}
}
