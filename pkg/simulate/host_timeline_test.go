package simulate

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// The steps a Result times (RunAt, CompletedAt, CanceledAt, KilledAt), for
// serve's timeline, checked against the policy's limits and the test's own
// clock: each step comes no earlier than its limit allows, and not much
// later (a loaded machine, or Wine, may be slow to react, hence the slack).
const timelineSlack = 5 * time.Second

// timed runs p and brackets the run with the test's clock.
func timed(t *testing.T, p Plugin, entryPoint string, pol Policy) (r run, before, after time.Time) {
	t.Helper()
	before = time.Now()
	r = runPlugin(t, context.Background(), p, entryPoint, pol)
	return r, before, time.Now()
}

// gap checks that to comes at least min and at most min+timelineSlack after
// from, both set.
func gap(t *testing.T, fromName string, from time.Time, toName string, to time.Time, min time.Duration) {
	t.Helper()
	if from.IsZero() || to.IsZero() {
		t.Errorf("%s = %v, %s = %v: want both set", fromName, from, toName, to)
		return
	}
	if d := to.Sub(from); d < min || d > min+timelineSlack {
		t.Errorf("%s came %v after %s, want between %v and %v", toName, d, fromName, min, min+timelineSlack)
	}
}

func within(t *testing.T, name string, at, before, after time.Time) {
	t.Helper()
	if at.Before(before) || at.After(after) {
		t.Errorf("%s = %v, outside the run (%v to %v)", name, at, before, after)
	}
}

// windows-facts.md §4: a task that runs past its time limit is cancelled
// with ExecutionTimeExceeded and killed when the grace period after the
// cancel is over: running, cancel sent, grace, killed.
func TestTimelineTimeoutThenKill(t *testing.T) {
	r, before, after := timed(t, testPlugin("hang"), "Tasks.Hang", strict)
	r.want(t, OutcomeTerminated)
	within(t, "RunAt", r.res.RunAt, before, after)
	gap(t, "RunAt", r.res.RunAt, "CanceledAt", r.res.CanceledAt, strict.Timeout)
	gap(t, "CanceledAt", r.res.CanceledAt, "KilledAt", r.res.KilledAt, strict.Grace)
	within(t, "KilledAt", r.res.KilledAt, before, after)
	if !r.res.CompletedAt.IsZero() {
		t.Errorf("CompletedAt = %v for a task that never completed", r.res.CompletedAt)
	}
}

// A task that stops when cancelled completes within the grace period and
// is not killed.
func TestTimelineCooperativeCancel(t *testing.T) {
	pol := strict
	pol.Grace = 5 * time.Second
	r, before, after := timed(t, testPlugin("cancel"), "Tasks.Cooperative", pol)
	r.want(t, OutcomeCanceled)
	gap(t, "RunAt", r.res.RunAt, "CanceledAt", r.res.CanceledAt, pol.Timeout)
	gap(t, "CanceledAt", r.res.CanceledAt, "CompletedAt", r.res.CompletedAt, 0)
	within(t, "CompletedAt", r.res.CompletedAt, before, after)
	if !r.res.KilledAt.IsZero() {
		t.Errorf("KilledAt = %v for a task that stopped when cancelled", r.res.KilledAt)
	}
}

// A task that completes but does not exit is killed a grace period after
// its completion, and was never cancelled.
func TestTimelineCompletedThenKilled(t *testing.T) {
	pol := quick
	pol.Grace = 300 * time.Millisecond
	r, before, after := timed(t, scripted(handshakeLine, "READ",
		`{"type":"completion","instance_id":"$ID","success":true}`, "SLEEP"), "Tasks.S", pol)
	r.want(t, OutcomeCompleted)
	within(t, "RunAt", r.res.RunAt, before, after)
	gap(t, "RunAt", r.res.RunAt, "CompletedAt", r.res.CompletedAt, 0)
	gap(t, "CompletedAt", r.res.CompletedAt, "KilledAt", r.res.KilledAt, pol.Grace)
	within(t, "KilledAt", r.res.KilledAt, before, after)
	if !r.res.CanceledAt.IsZero() {
		t.Errorf("CanceledAt = %v for a task that was not cancelled", r.res.CanceledAt)
	}
}

// A task that completes and exits has no cancel and no kill.
func TestTimelineCompleted(t *testing.T) {
	r, before, after := timed(t, testPlugin("noop"), "Tasks.Noop", quick)
	r.want(t, OutcomeCompleted)
	within(t, "RunAt", r.res.RunAt, before, after)
	gap(t, "RunAt", r.res.RunAt, "CompletedAt", r.res.CompletedAt, 0)
	within(t, "CompletedAt", r.res.CompletedAt, before, after)
	if !r.res.CanceledAt.IsZero() || !r.res.KilledAt.IsZero() {
		t.Errorf("CanceledAt = %v, KilledAt = %v for a task that completed and exited", r.res.CanceledAt, r.res.KilledAt)
	}
}

// A plugin that never shakes hands is killed when the handshake timeout
// passes; its task never ran.
func TestTimelineNoHandshakeIsKilledUnrun(t *testing.T) {
	pol := strict
	pol.HandshakeTimeout = 300 * time.Millisecond
	r, before, after := timed(t, testPlugin("mute"), "Tasks.Any", pol)
	r.want(t, OutcomeNotStarted)
	gap(t, "the start", before, "KilledAt", r.res.KilledAt, pol.HandshakeTimeout)
	within(t, "KilledAt", r.res.KilledAt, before, after)
	if !r.res.RunAt.IsZero() || !r.res.CanceledAt.IsZero() || !r.res.CompletedAt.IsZero() {
		t.Errorf("RunAt = %v, CanceledAt = %v, CompletedAt = %v for a task that never ran", r.res.RunAt, r.res.CanceledAt, r.res.CompletedAt)
	}
}

// The observer hears of the cancel and the kill as they happen, at the
// times the Result gives, before RunInstance returns.
func TestTimelineObserverHearsCancelAndKill(t *testing.T) {
	type heard struct {
		what   string
		reason plugin.CancelReason
		at     time.Time
	}
	var mu sync.Mutex
	var calls []heard
	obs := Observer{
		Canceled: func(r plugin.CancelReason, at time.Time) {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, heard{"canceled", r, at})
		},
		Killed: func(at time.Time) {
			mu.Lock()
			defer mu.Unlock()
			calls = append(calls, heard{"killed", 0, at})
		},
	}
	res := RunInstance(context.Background(), testPlugin("hang"), pushInvocation("Tasks.Hang", "hello"), strict, obs)
	if res.Outcome != OutcomeTerminated {
		t.Fatalf("outcome %s (%s)", res.Outcome, res.Error)
	}
	mu.Lock()
	defer mu.Unlock()
	want := []heard{{"canceled", plugin.CancelExecutionTimeExceeded, res.CanceledAt}, {"killed", 0, res.KilledAt}}
	if len(calls) != len(want) {
		t.Fatalf("heard %+v, want %+v", calls, want)
	}
	for n, c := range calls {
		if c.what != want[n].what || c.reason != want[n].reason || !c.at.Equal(want[n].at) {
			t.Errorf("call %d: %+v, want %+v", n, c, want[n])
		}
	}
}
