package simulate

import (
	"context"
	"os/exec"
	"strings"
	"sync"
	"testing"
)

// An interrupted check still looks for what the runs it made left behind:
// a child that escaped the plugin's group fails "no leftover process seen"
// and is killed, as after a check that ran to its end.
func TestCheckInterruptedStillFindsEscapedChildren(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("needs sleep(1)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log lockedBuffer
	var once sync.Once
	// The task logs the child it started and completes: the user's Ctrl-C
	// comes then, before the cancel run.
	obs := Observer{Log: notifyWriter{&log, func() {
		if strings.Contains(log.String(), "escaped pid") {
			once.Do(cancel)
		}
	}}}
	rep := CheckConformance(ctx, testPlugin("escape"), "Tasks.Escape", quick, obs)
	got := map[string]Check{}
	for _, c := range rep.Checks {
		got[c.Name] = c
		t.Logf("%s: %s: %s", c.Name, c.Status, c.Detail)
	}
	if got["cancel within the grace period"].Status != CheckSkip {
		t.Errorf("the check was not interrupted before the cancel run: %+v", got["cancel within the grace period"])
	}
	if c := got["no leftover process seen"]; c.Status != CheckFail || !strings.Contains(c.Detail, "left its process group") {
		t.Errorf("leftover check %s (%s), want a failure naming the escaped child", c.Status, c.Detail)
	}
}
