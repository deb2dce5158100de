package simulate

import (
	"context"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// checksOf maps a report's checks by name.
func checksOf(rep *CheckReport) map[string]Check {
	m := map[string]Check{}
	for _, c := range rep.Checks {
		m[c.Name] = c
	}
	return m
}

// The details of a passing run say what happened and nothing more: the
// run's outcome and time, no error; the leftover check what it looked at.
func TestCheckPassingDetails(t *testing.T) {
	got := checksOf(CheckConformance(context.Background(), testPlugin("noop"), "", quick, Observer{}))
	if run := got["run a push notification"]; run.Status != CheckPass || !regexp.MustCompile(`^completed in [0-9.]+(µs|ms|s)$`).MatchString(run.Detail) {
		t.Errorf("run check %s: %q, want a pass saying completed in some time", run.Status, run.Detail)
	}
	want := "the plugin's process group was empty when it exited; "
	switch runtime.GOOS {
	case "linux":
		want += "no process it started is alive elsewhere (one that also cleared its environment could not be seen)"
	case "windows":
		want = "the plugin's job object was empty when it exited; every process it starts is in that job"
	default:
		want += "a process that left the group (setsid, a daemon) cannot be seen on " + runtime.GOOS
	}
	if c := got["no leftover process seen"]; c.Status != CheckPass || c.Detail != want {
		t.Errorf("leftover check %s: %q\nwant pass: %q", c.Status, c.Detail, want)
	}
}

// The cancel check passes a task that stops when cancelled, and fails one
// that has to be killed after the grace period.
func TestCheckCancelVerdict(t *testing.T) {
	for _, tc := range []struct {
		entry  string
		status CheckStatus
		detail string
	}{
		{"Tasks.Cooperative", CheckPass, "canceled in "},
		{"Tasks.IgnoreCancel", CheckFail, "terminated in "},
	} {
		c := checksOf(CheckConformance(context.Background(), testPlugin("cancel"), tc.entry, strict, Observer{}))["cancel within the grace period"]
		if c.Status != tc.status || !strings.HasPrefix(c.Detail, tc.detail) || !strings.Contains(c.Detail, "(cancel: ExecutionTimeExceeded)") {
			t.Errorf("%s: cancel check %s: %q; want %s, %q...", tc.entry, c.Status, c.Detail, tc.status, tc.detail)
		}
	}
}
