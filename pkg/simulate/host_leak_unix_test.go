//go:build unix

package simulate

import (
	"context"
	"os/exec"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// A child that leaves the plugin's process group on purpose keeps the
// plugin's stdin open and never reads it. The host must not stay blocked
// writing the run message to it once the plugin is gone.
func TestRunEscapedChildHoldingStdinLeaksNothing(t *testing.T) {
	for _, tool := range []string{"sh", "setsid", "sleep"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("needs %s", tool)
		}
	}
	baseline := runtime.NumGoroutine()
	p := Plugin{Path: "sh", Args: []string{"-c", "echo '" + handshakeLine + "'\n" +
		"exec 3<&0\nsetsid sleep 30 <&3 >/dev/null 2>&1 &\necho \"escaped pid $!\" >&2\n" +
		"sleep 0.3\nexit 0"}} // the pause lets the host start writing run before the exit
	// Bigger than a pipe's buffer, so the write blocks while nobody reads.
	inv := pushInvocation("Tasks.S", strings.Repeat("x", 300<<10))
	var log lockedBuffer
	res := RunInstance(context.Background(), p, inv, quick, Observer{Log: &log})
	if m := regexp.MustCompile(`escaped pid (\d+)`).FindStringSubmatch(log.String()); m != nil {
		// It left the plugin's group on purpose, so the host cannot kill it;
		// the test must. setsid may have forked: the sleep leads a group whose
		// id is that pid either way.
		pgid, _ := strconv.Atoi(m[1])
		defer syscall.Kill(-pgid, syscall.SIGKILL)
	}
	if res.Outcome != OutcomeFailed {
		t.Errorf("outcome %s (%s), want failed", res.Outcome, res.Error)
	}
	assertGoroutinesBack(t, baseline)
}
