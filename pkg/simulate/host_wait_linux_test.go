package simulate

import (
	"os/exec"
	"testing"
	"time"
)

// awaitExit waits for the exit without reaping it: it returns no sooner than
// the process exits, and os/exec's Wait still gets the exit status.
func TestAwaitExitLeavesTheStatusToWait(t *testing.T) {
	cmd := exec.Command(testPlugin("scripted").Path, "SLEEP=200ms", "EXIT=3")
	start := time.Now()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	awaitExit(cmd.Process.Pid)
	if waited := time.Since(start); waited < 200*time.Millisecond {
		t.Errorf("awaitExit returned after %v, before the plugin's 200ms sleep was over", waited)
	}
	err := cmd.Wait()
	if cmd.ProcessState == nil || cmd.ProcessState.ExitCode() != 3 {
		t.Errorf("Wait after awaitExit: %v, state %v; want exit status 3", err, cmd.ProcessState)
	}
}
