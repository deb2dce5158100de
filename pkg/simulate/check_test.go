package simulate

import (
	"context"
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
	if got["cancel within the grace period"] != CheckSkip || got["no process left behind"] != CheckPass {
		t.Errorf("after the interruption: %v", got)
	}
}
