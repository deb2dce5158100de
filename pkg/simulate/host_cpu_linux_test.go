package simulate

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// The CPU quota (Policy.CPUQuota, the Windows 8.1 lock-screen budget): a
// running task that uses more CPU time than it is cancelled with reason
// SystemPolicy, and killed after the grace period if it ignores that; one
// that stays within it runs on. (Linux: the quota is read from /proc while
// the plugin runs; other systems' CPU accounting is tested where it lives.)
func TestRunCPUQuotaCancelsWithSystemPolicy(t *testing.T) {
	pol := quick
	pol.Timeout, pol.Grace, pol.CPUQuota = 20*time.Second, 300*time.Millisecond, 50*time.Millisecond
	// The plugin keeps a CPU busy for far longer than the quota, however
	// loaded the machine, and ignores the cancel.
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ", "SPIN=30s", "SLEEP"), "Tasks.S", pol)
	r.want(t, OutcomeTerminated)
	want := "did not finish within the 300ms grace period after cancel (SystemPolicy); killed"
	if !r.res.CPUQuotaExceeded || !r.res.Canceled || r.res.CancelReason != plugin.CancelSystemPolicy || r.res.Error != want {
		t.Errorf("quota exceeded %v, canceled %v (%v), error %q; want %q", r.res.CPUQuotaExceeded, r.res.Canceled, r.res.CancelReason, r.res.Error, want)
	}
	if r.elapsed > 15*time.Second {
		t.Errorf("cancelled after %v: the quota was not checked while the task ran", r.elapsed)
	}

	pol.CPUQuota = time.Hour
	r = runPlugin(t, context.Background(), scripted(handshakeLine, "READ", "SPIN=300ms", completionLine, "EXIT=0"), "Tasks.S", pol)
	r.want(t, OutcomeCompleted)
	if r.res.CPUQuotaExceeded || r.res.Canceled || len(r.res.Warnings) != 0 {
		t.Errorf("within the quota: exceeded %v, canceled %v, warnings %q", r.res.CPUQuotaExceeded, r.res.Canceled, r.res.Warnings)
	}
}

// CPU time used where the quota is not watched (after the completion, here)
// is still compared with it at exit, from the OS's own accounting, and
// reported as a warning: the outcome stands.
func TestRunCPUQuotaCheckedAtExit(t *testing.T) {
	pol := quick
	pol.Timeout, pol.Grace, pol.CPUQuota = 20*time.Second, 20*time.Second, 100*time.Millisecond
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ", completionLine, "SPIN=2s", "EXIT=0"), "Tasks.S", pol)
	r.want(t, OutcomeCompleted)
	const wantEnd = " of CPU time, over the 100ms quota; Windows would have cancelled it with SystemPolicy, but it was checked only at exit"
	if !r.res.CPUQuotaExceeded || r.res.Canceled || len(r.res.Warnings) != 1 ||
		!strings.HasPrefix(r.res.Warnings[0], "used ") || !strings.HasSuffix(r.res.Warnings[0], wantEnd) {
		t.Fatalf("quota exceeded %v, canceled %v, warnings %q; want one ending %q", r.res.CPUQuotaExceeded, r.res.Canceled, r.res.Warnings, wantEnd)
	}
	used, err := time.ParseDuration(strings.TrimSuffix(strings.TrimPrefix(r.res.Warnings[0], "used "), wantEnd))
	if err != nil || used != (r.res.UserTime+r.res.SystemTime).Round(time.Millisecond) || used <= pol.CPUQuota {
		t.Errorf("the warning says %v (%v) were used; the result says %v user + %v system", used, err, r.res.UserTime, r.res.SystemTime)
	}
}

// The quota counts system time as well as user time: a task that spends
// its CPU time in the kernel (here reading /dev/zero, whose user time stays
// far below the quota) is cancelled too.
func TestRunCPUQuotaCountsSystemTime(t *testing.T) {
	pol := quick
	pol.Timeout, pol.Grace, pol.CPUQuota = 20*time.Second, 300*time.Millisecond, 200*time.Millisecond
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ", "ZEROS=10s", completionLine, "EXIT=0"), "Tasks.S", pol)
	if r.res.Outcome != OutcomeTerminated || !r.res.CPUQuotaExceeded || r.res.CancelReason != plugin.CancelSystemPolicy {
		t.Errorf("outcome %s (%s), quota exceeded %v, reason %v, cpu %v user + %v system; want terminated after SystemPolicy",
			r.res.Outcome, r.res.Error, r.res.CPUQuotaExceeded, r.res.CancelReason, r.res.UserTime, r.res.SystemTime)
	}
	if r.res.UserTime >= pol.CPUQuota {
		t.Errorf("the plugin used %v of user time, over the quota on its own: the test shows nothing", r.res.UserTime)
	}

	// Within the quota, mostly system time is no reason to cancel.
	pol.CPUQuota = time.Hour
	r = runPlugin(t, context.Background(), scripted(handshakeLine, "READ", "ZEROS=1s", completionLine, "EXIT=0"), "Tasks.S", pol)
	if r.res.Outcome != OutcomeCompleted || r.res.CPUQuotaExceeded || r.res.Canceled {
		t.Errorf("within the quota: outcome %s (%s), quota exceeded %v, canceled %v", r.res.Outcome, r.res.Error, r.res.CPUQuotaExceeded, r.res.Canceled)
	}
}

// The CPU time of processes the plugin started counts once they end and it
// has waited for them, as every command of a shell script plugin does: a
// child that uses more than the quota gets the plugin cancelled with
// SystemPolicy while it runs. Before, the quota looked at the plugin process
// alone, and such a plugin ran on to its timeout.
func TestRunCPUQuotaCountsWaitedForChildren(t *testing.T) {
	pol := quick
	pol.Timeout, pol.Grace, pol.CPUQuota = 20*time.Second, 300*time.Millisecond, 200*time.Millisecond
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ", "CHILDSPIN=600ms", "SLEEP"), "Tasks.S", pol)
	if r.res.Outcome != OutcomeTerminated || !r.res.CPUQuotaExceeded || r.res.CancelReason != plugin.CancelSystemPolicy {
		t.Errorf("outcome %s (%s), quota exceeded %v, reason %v, cpu %v user + %v system; want terminated after SystemPolicy",
			r.res.Outcome, r.res.Error, r.res.CPUQuotaExceeded, r.res.CancelReason, r.res.UserTime, r.res.SystemTime)
	}
}
