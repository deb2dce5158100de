package simulate

import (
	"context"
	"os"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// A check the user interrupts (Ctrl-C) reports what ran and skips the rest:
// a run that never started is not a failure of the plugin.
func TestCheckInterruptedSkipsTheRest(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	rep := CheckConformance(ctx, testPlugin("cancel"), "Tasks.Cooperative", quick, Observer{})
	got := map[string]CheckStatus{}
	for _, c := range rep.Checks {
		got[c.Name] = c.Status
		t.Logf("%s: %s: %s", c.Name, c.Status, c.Detail)
	}
	if got["handshake"] != CheckPass || got["run a push notification"] != CheckFail {
		t.Errorf("the checks that ran: %v", got)
	}
	if got["cancel within the grace period"] != CheckSkip || got["no leftover process seen"] != CheckPass {
		t.Errorf("after the interruption: %v", got)
	}
}

// plugin check never claims more than it saw. A plugin whose task starts a
// child in a session of its own (setsid) leaves it running past the group
// kill; the check used to pass "no process left behind" with the child
// alive. On Linux the child is found by the check's environment marker,
// killed, and the check fails; elsewhere the check says it cannot see it.
func TestCheckDoesNotClaimWhatItCannotSee(t *testing.T) {
	var log lockedBuffer
	rep := CheckConformance(context.Background(), testPlugin("escape"), "Tasks.Escape", quick, Observer{Log: &log})
	var leftover Check
	for _, c := range rep.Checks {
		t.Logf("%s: %s: %s", c.Name, c.Status, c.Detail)
		if c.Name == "no leftover process seen" {
			leftover = c
		}
	}
	pids := regexp.MustCompile(`escaped pid (\d+)`).FindAllStringSubmatch(log.String(), -1)
	if len(pids) == 0 {
		t.Fatalf("the plugin started no child; log:\n%s", log.String())
	}
	switch runtime.GOOS {
	case "linux":
		if leftover.Status != CheckFail || !strings.Contains(leftover.Detail, "left its process group") {
			t.Errorf("leftover check %s (%s), want a failure naming the escaped processes", leftover.Status, leftover.Detail)
		}
		for _, m := range pids {
			pid, _ := strconv.Atoi(m[1])
			deadline := time.Now().Add(3 * time.Second)
			for processAlive(pid) && time.Now().Before(deadline) {
				time.Sleep(20 * time.Millisecond)
			}
			if processAlive(pid) {
				t.Errorf("escaped child %d is still alive", pid)
			}
		}
	default:
		for _, m := range pids { // the check cannot; the test must
			if pid, err := strconv.Atoi(m[1]); err == nil {
				if p, err := os.FindProcess(pid); err == nil {
					_ = p.Kill()
				}
			}
		}
		if leftover.Status == CheckPass && !strings.Contains(leftover.Detail, "cannot be seen") && !strings.Contains(leftover.Detail, "job") {
			t.Errorf("leftover check passes without saying what it could not see: %s", leftover.Detail)
		}
	}
}
