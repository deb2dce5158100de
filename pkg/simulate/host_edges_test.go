package simulate

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

const completionLine = `{"type":"completion","instance_id":"$ID","success":true}`

// A cancel that arrives while the plugin is already in its grace period (the
// time limit cancelled it, then the user pressed Ctrl-C) sends no second
// cancel and keeps the first reason: Windows cancels an instance once.
func TestRunSecondCancelDuringGraceIsIgnored(t *testing.T) {
	pol := quick
	pol.Timeout, pol.Grace = 300*time.Millisecond, 2*time.Second
	ctx, cancel := context.WithTimeout(context.Background(), 900*time.Millisecond)
	defer cancel()
	r := runPlugin(t, ctx, scripted(handshakeLine, "READ", "ECHO", "ECHO", "SLEEP"), "Tasks.S", pol)
	r.want(t, OutcomeTerminated)
	if !r.res.Canceled || r.res.CancelReason != plugin.CancelExecutionTimeExceeded {
		t.Errorf("cancel %v %v, want the first reason, ExecutionTimeExceeded", r.res.Canceled, r.res.CancelReason)
	}
	if n := strings.Count(r.log, `host: {"type":"cancel"`); n != 1 || !strings.Contains(r.log, `"reason":"ExecutionTimeExceeded"`) {
		t.Errorf("the plugin got %d cancel messages, want 1 (ExecutionTimeExceeded); log:\n%s", n, r.log)
	}
	if want := "did not finish within the 2s grace period after cancel (ExecutionTimeExceeded); killed"; r.res.Error != want {
		t.Errorf("error %q, want %q", r.res.Error, want)
	}
}

// A cancel after the completion (the caller gives up, or the broker cancels,
// while the plugin is slow to exit) changes nothing: the task completed.
func TestRunCancelAfterCompletionIsNoCancel(t *testing.T) {
	pol := quick
	pol.Grace = 1500 * time.Millisecond
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	cancels := make(chan plugin.CancelReason)
	// Both cancels come after the completion (the plugin logs once it has
	// sent it), however long the plugin took to start.
	completed := make(chan struct{})
	var once sync.Once
	go func() {
		<-completed
		time.Sleep(200 * time.Millisecond)
		select {
		case cancels <- plugin.CancelTerminating:
		case <-time.After(5 * time.Second):
		}
		time.Sleep(200 * time.Millisecond)
		cancel()
	}()
	inv := pushInvocation("Tasks.S", "x")
	inv.Cancel = cancels
	logged := notifyWriter{io.Discard, func() { once.Do(func() { close(completed) }) }}
	res := RunInstance(ctx, scripted(handshakeLine, "READ", completionLine, "LOG=completion sent", "SLEEP"), inv, pol, Observer{Log: logged})
	if res.Outcome != OutcomeCompleted || res.Canceled || res.CancelReason != plugin.CancelAbort || !res.KilledAfterCompletion || res.Error != "" {
		t.Errorf("outcome %s (%s), canceled %v (%v), killed after completion %v; want completed, not canceled, killed after the grace period",
			res.Outcome, res.Error, res.Canceled, res.CancelReason, res.KilledAfterCompletion)
	}
}

// A completion sent during the grace period after a cancel does not restart
// the grace period: the plugin is killed when the first one ends.
func TestRunGracePeriodIsNotRestarted(t *testing.T) {
	pol := quick
	pol.Timeout, pol.Grace = 200*time.Millisecond, 3*time.Second
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ", "READ", "SLEEP=2500ms", completionLine, "SLEEP"), "Tasks.S", pol)
	r.want(t, OutcomeCanceled)
	if !r.res.Canceled || !r.res.CompletionReceived {
		t.Errorf("canceled %v, completion received %v", r.res.Canceled, r.res.CompletionReceived)
	}
	// Killed at 0.2 s + 3 s; a restarted grace would end at 2.7 s + 3 s.
	r.within(t, pol.Timeout+pol.Grace, pol.Timeout+pol.Grace+2*time.Second)
}

// Results of instances that never started have no exit code (-1) and no
// process, whatever stopped them.
func TestNotStartedResultsHaveNoExitCode(t *testing.T) {
	canceled, cancel := context.WithCancel(context.Background())
	cancel()
	for _, tc := range []struct {
		name string
		ctx  context.Context
		p    Plugin
		inv  Invocation
		err  string
	}{
		{"no entry point", context.Background(), testPlugin("noop"), Invocation{Trigger: plugin.Trigger{Kind: plugin.TriggerPush}}, "the invocation needs an entry point and a trigger kind"},
		{"no trigger", context.Background(), testPlugin("noop"), Invocation{Registration: plugin.Registration{EntryPoint: "Tasks.Noop"}}, "the invocation needs an entry point and a trigger kind"},
		{"canceled first", canceled, testPlugin("noop"), pushInvocation("Tasks.Noop", "x"), "canceled before the plugin was started"},
		{"oversized", context.Background(), testPlugin("noop"), pushInvocation("Tasks.Noop", strings.Repeat("x", plugin.MaxLineBytes)), "over the protocol's 1048576-byte line limit"},
	} {
		res := RunInstance(tc.ctx, tc.p, tc.inv, quick, Observer{})
		if res.Outcome != OutcomeNotStarted || res.ExitCode != -1 || res.PID != 0 || !strings.Contains(res.Error, tc.err) || res.InstanceID == "" {
			t.Errorf("%s: outcome %s, exit code %d, pid %d, instance %q, error %q", tc.name, res.Outcome, res.ExitCode, res.PID, res.InstanceID, res.Error)
		}
	}
}

// windows-facts.md §4: 30 s of wall-clock time, 5 s of grace; the handshake
// deadline and log bounds are bgtask's. Zero or negative means the default.
func TestPolicyDefaultsEveryField(t *testing.T) {
	want := Policy{Timeout: 30 * time.Second, Grace: 5 * time.Second, HandshakeTimeout: 10 * time.Second, LogLines: 1000, LogTail: 50}
	for _, p := range []Policy{{}, {Timeout: -1, Grace: -1, HandshakeTimeout: -1, LogLines: -1, LogTail: -1}} {
		if got := p.withDefaults(); got != want {
			t.Errorf("%+v.withDefaults() = %+v, want %+v", p, got, want)
		}
	}
	kept := Policy{Timeout: 1, Grace: 2, HandshakeTimeout: 3, LogLines: 1, LogTail: 1, CPUQuota: 4}
	if got := kept.withDefaults(); got != kept {
		t.Errorf("explicit values changed: %+v", got)
	}
}

// plugin check --entry-point X runs X, not the first entry point; without
// it, the first in the plugin's sorted list.
func TestCheckRunsTheEntryPointAsked(t *testing.T) {
	for _, tc := range []struct{ asked, ran string }{{"Tasks.IgnoreCancel", "Tasks.IgnoreCancel"}, {"", "Tasks.Cooperative"}} {
		rep := CheckConformance(context.Background(), testPlugin("cancel"), tc.asked, strict, Observer{})
		var entry Check
		for _, c := range rep.Checks {
			if c.Name == "entry point" {
				entry = c
			}
		}
		if rep.EntryPoint != tc.ran || entry.Status != CheckPass || entry.Detail != tc.ran {
			t.Errorf("asked %q: report entry point %q, check %+v; want %q", tc.asked, rep.EntryPoint, entry, tc.ran)
		}
	}
	rep := CheckConformance(context.Background(), testPlugin("cancel"), "Tasks.Missing", strict, Observer{})
	var got []string
	for _, c := range rep.Checks {
		got = append(got, c.Name+": "+string(c.Status)+": "+c.Detail)
	}
	want := []string{
		"handshake: pass: protocol 1, sdk bgtask-go, entry points: Tasks.Cooperative, Tasks.IgnoreCancel",
		"describe: pass: describe lists Tasks.Cooperative, Tasks.IgnoreCancel; handshake listed Tasks.Cooperative, Tasks.IgnoreCancel",
		`entry point: fail: the plugin does not provide "Tasks.Missing"; it provides: Tasks.Cooperative, Tasks.IgnoreCancel (check --entry-point, and the spelling in the manifest)`,
		"run a push notification: skip: an earlier check failed",
		"exit after completion: skip: an earlier check failed",
		"no work after completion: skip: an earlier check failed",
		"cancel within the grace period: skip: an earlier check failed",
		"no leftover process seen: skip: an earlier check failed",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || rep.Passed() {
		t.Errorf("checks:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// Messages after a successful completion are work Windows would not have let
// happen: counted, named by the first one's type, and warned about, in the
// words that fit whether the task took deferrals. After a failure they are
// only ignored.
func TestRunMessagesAfterCompletion(t *testing.T) {
	const (
		progress = `{"type":"progress","instance_id":"$ID","percent":50}`
		taken    = `{"type":"deferral_taken","instance_id":"$ID","deferral_id":1}`
		done     = `{"type":"deferral_completed","instance_id":"$ID","deferral_id":1}`
		failed   = `{"type":"completion","instance_id":"$ID","success":false,"error":"boom"}`
		killed   = ": on Windows the process would have been suspended or killed here"
	)
	for _, tc := range []struct {
		name    string
		steps   []string
		outcome Outcome
		warning string
	}{
		{"without deferrals", []string{completionLine, progress, taken, "SLEEP=300ms", "EXIT=0"}, OutcomeCompleted,
			"work continued after Run returned without a deferral (it wrote 2 line(s) on stdout afterwards, the first a progress message)" + killed},
		{"with deferrals", []string{taken, done, completionLine, done, progress, "SLEEP=300ms", "EXIT=0"}, OutcomeCompleted,
			"work continued after the task completed (its deferrals were all completed) (it wrote 2 line(s) on stdout afterwards, the first a deferral_completed message)" + killed},
		// docs/protocol.md "Deviations": anything on stdout after completion.
		{"text", []string{completionLine, "hello world", progress, "SLEEP=300ms", "EXIT=0"}, OutcomeCompleted,
			"work continued after Run returned without a deferral (it wrote 2 line(s) on stdout afterwards, the first not a protocol message)" + killed},
		{"unknown type", []string{completionLine, `{"type":"bogus"}`, "SLEEP=300ms", "EXIT=0"}, OutcomeCompleted,
			"work continued after Run returned without a deferral (it wrote 1 line(s) on stdout afterwards, the first of a type protocol version 1 does not define)" + killed},
		{"after a failure", []string{failed, progress, "SLEEP=300ms", "EXIT=0"}, OutcomeFailed, ""},
		{"none", []string{completionLine, "EXIT=0"}, OutcomeCompleted, ""},
	} {
		r := runPlugin(t, context.Background(), scripted(append([]string{handshakeLine, "READ"}, tc.steps...)...), "Tasks.S", quick)
		r.want(t, tc.outcome)
		if got := strings.Join(r.res.Warnings, "|"); got != tc.warning {
			t.Errorf("%s: warnings %q\nwant %q", tc.name, got, tc.warning)
		}
	}
}

// A cancel asked for while the plugin is still starting (a condition lost,
// or unregister --cancel, before its handshake) reaches the task once it
// runs: it is not dropped, leaving the task to run to its time limit. Slow
// starts (Wine, a loaded CI machine, an antivirus scanning a new .exe) made
// it drop.
func TestRunCancelBeforeTheTaskRunsIsDelivered(t *testing.T) {
	cancels := make(chan plugin.CancelReason, 1)
	cancels <- plugin.CancelConditionLoss
	inv := pushInvocation("Tasks.Cooperative", "x")
	inv.Cancel = cancels
	var log lockedBuffer
	res := RunInstance(context.Background(), testPlugin("cancel"), inv, quick, Observer{Log: &log})
	if res.Outcome != OutcomeCanceled || res.CancelReason != plugin.CancelConditionLoss || !strings.Contains(log.String(), "canceled: ConditionLoss") {
		t.Errorf("outcome %s (%s), reason %v, log %q; want canceled with ConditionLoss, seen by the task",
			res.Outcome, res.Error, res.CancelReason, log.String())
	}
}

// A report passes when no check failed; skipped checks do not fail it.
func TestCheckReportPassed(t *testing.T) {
	for _, tc := range []struct {
		statuses []CheckStatus
		want     bool
	}{
		{nil, true},
		{[]CheckStatus{CheckPass, CheckSkip}, true},
		{[]CheckStatus{CheckPass, CheckFail, CheckSkip}, false},
		{[]CheckStatus{CheckFail}, false},
	} {
		rep := &CheckReport{}
		for _, s := range tc.statuses {
			rep.Checks = append(rep.Checks, Check{Status: s})
		}
		if rep.Passed() != tc.want {
			t.Errorf("%v: Passed() = %v, want %v", tc.statuses, rep.Passed(), tc.want)
		}
	}
}

// plugin check's verdicts, check by check: a plugin that behaves passes all
// eight; one that leaves work running after its completion fails only "no
// work after completion".
func TestCheckVerdicts(t *testing.T) {
	for _, tc := range []struct {
		plugin, entry string
		failed        string
	}{
		{"noop", "", ""},
		{"deferral", "Tasks.Lost", "no work after completion"},
	} {
		rep := CheckConformance(context.Background(), testPlugin(tc.plugin), tc.entry, quick, Observer{})
		var got []string
		failed := ""
		for _, c := range rep.Checks {
			got = append(got, c.Name+": "+string(c.Status))
			if c.Status == CheckFail {
				failed += c.Name
			}
		}
		if len(rep.Checks) != 8 || failed != tc.failed || rep.Passed() != (tc.failed == "") {
			t.Errorf("%s: %s; want only %q failed", tc.plugin, strings.Join(got, ", "), tc.failed)
		}
	}
}
