package simulate

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// The host's side of the run message: an instance id given is kept, a task
// id given is passed on as it is and an empty one becomes a GUID
// (docs/protocol.md promises plugins one), and without a task name the log
// lines are prefixed with the entry point.
func TestRunInvocationIDsAndLogPrefix(t *testing.T) {
	guid := regexp.MustCompile(`"task_id":"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"`)
	for _, tc := range []struct {
		name, taskID string
		want         *regexp.Regexp
	}{
		{"given", "11111111-2222-3333-4444-555555555555", regexp.MustCompile(`"task_id":"11111111-2222-3333-4444-555555555555"`)},
		{"empty", "", guid},
	} {
		inv := pushInvocation("Tasks.S", "x")
		inv.InstanceID = "instance-" + tc.name
		inv.Registration.Name = ""
		inv.Registration.TaskID = tc.taskID
		var log lockedBuffer
		res := RunInstance(context.Background(), scripted(handshakeLine, "ECHO",
			`{"type":"completion","instance_id":"instance-`+tc.name+`","success":true}`, "EXIT=0"), inv, quick, Observer{Log: &log})
		if res.Outcome != OutcomeCompleted || res.InstanceID != "instance-"+tc.name {
			t.Fatalf("%s: outcome %s (%s), instance %q", tc.name, res.Outcome, res.Error, res.InstanceID)
		}
		got := log.String()
		if !strings.HasPrefix(got, `Tasks.S: host: {"type":"run","instance_id":"instance-`+tc.name+`"`) || !tc.want.MatchString(got) {
			t.Errorf("%s: the plugin got %q; want the instance id kept, the task id %s, the entry point as the log's prefix", tc.name, got, tc.want)
		}
	}
}

// A plugin that does not provide the entry point asked for never starts the
// task; its stdin is closed and, if it does not exit, it is killed after the
// grace period, which is no completion it was slow to exit after.
func TestRunEntryPointNotProvidedIsNotCompletion(t *testing.T) {
	pol := quick
	pol.Grace = 300 * time.Millisecond
	for _, tc := range []struct{ handshake, provides string }{
		{handshakeLine, "Tasks.S"},
		{`{"type":"handshake","protocol":1,"entry_points":[]}`, "(nothing)"},
	} {
		r := runPlugin(t, context.Background(), scripted(tc.handshake, "SLEEP"), "Tasks.Other", pol)
		r.want(t, OutcomeNotStarted)
		want := `the plugin does not provide entry point "Tasks.Other"; it provides: ` + tc.provides
		if r.res.Error != want || r.res.KilledAfterCompletion || len(r.res.Warnings) != 0 || r.res.Canceled {
			t.Errorf("error %q, killed after completion %v, warnings %q, canceled %v; want %q and nothing else",
				r.res.Error, r.res.KilledAfterCompletion, r.res.Warnings, r.res.Canceled, want)
		}
		r.within(t, pol.Grace, pol.Grace+3*time.Second)
	}
}

// A plugin that exits without reporting completion failed; the error quotes
// the log line most likely to say why: a Go runtime panic or fatal error
// wherever it is (its stack trace follows it), else the last line, else
// nothing.
func TestRunExitWithoutCompletionQuotesTheLog(t *testing.T) {
	const (
		sendIt  = "a plugin sends completion before it exits, even after an error"
		recover = "a panic outside Run's own goroutine kills the plugin: recover it there and pass the error on"
	)
	for _, tc := range []struct {
		name  string
		steps []string
		want  string
	}{
		{"no log", []string{"EXIT=3"}, "the plugin exited (exit status 3) before reporting completion; " + sendIt},
		{"last line", []string{"LOG=first", "LOG=second", "EXIT=3"},
			`the plugin exited (exit status 3) before reporting completion; its last log line: "second"; ` + sendIt},
		{"panic first", []string{"LOG=panic: boom", "LOG=goroutine 7 [running]:", "LOG=main.go:12", "EXIT=2"},
			`the plugin exited (exit status 2) before reporting completion; its log says: "panic: boom"; ` + recover},
		{"only a panic", []string{"LOG=panic: boom", "EXIT=2"},
			`the plugin exited (exit status 2) before reporting completion; its log says: "panic: boom"; ` + recover},
		{"fatal error", []string{"LOG=working", "LOG=fatal error: all goroutines are asleep - deadlock!", "LOG=", "LOG=goroutine 1 [chan receive]:", "EXIT=2"},
			`the plugin exited (exit status 2) before reporting completion; its log says: "fatal error: all goroutines are asleep - deadlock!"; ` + recover},
	} {
		r := runPlugin(t, context.Background(), scripted(append([]string{handshakeLine, "READ"}, tc.steps...)...), "Tasks.S", quick)
		if r.res.Outcome != OutcomeFailed || r.res.Error != tc.want || r.res.CompletionReceived {
			t.Errorf("%s: outcome %s, error %q\nwant failed, %q", tc.name, r.res.Outcome, r.res.Error, tc.want)
		}
	}
	// Before the handshake the task never started.
	r := runPlugin(t, context.Background(), scripted("LOG=config.json not found", "EXIT=1"), "Tasks.S", quick)
	if want := `the plugin exited (exit status 1) before its handshake; its last log line: "config.json not found"`; r.res.Outcome != OutcomeNotStarted || r.res.Error != want {
		t.Errorf("before the handshake: outcome %s, error %q; want not-started, %q", r.res.Outcome, r.res.Error, want)
	}
}

// Log lines written well after a successful completion are work Windows
// would not have let run: warned about with the first of them. What the
// plugin flagged itself says it more precisely and replaces that warning.
func TestRunLateLogLinesAreWarned(t *testing.T) {
	const killed = ": on Windows the process would have been suspended or killed here"
	pol := quick
	pol.Grace = 10 * time.Second // the plugin exits on its own; no kill must add its own warning
	for _, tc := range []struct {
		name  string
		steps []string
		want  []string
	}{
		// The 100 ms tolerance for a line racing the completion is far
		// below the second the plugin waits.
		{"late lines", []string{"SLEEP=1s", "LOG=still working", "LOG=done now", "EXIT=0"},
			[]string{`work continued after Run returned without a deferral (it wrote 2 log line(s) afterwards, the first: "still working")` + killed}},
		{"flagged", []string{"SLEEP=1s", "LOG=" + plugin.WarningPrefix + "a goroutine is still running", "LOG=still working", "EXIT=0"},
			[]string{"a goroutine is still running"}},
	} {
		r := runPlugin(t, context.Background(), scripted(append([]string{handshakeLine, "READ", completionLine}, tc.steps...)...), "Tasks.S", pol)
		r.want(t, OutcomeCompleted)
		if fmt.Sprintf("%q", r.res.Warnings) != fmt.Sprintf("%q", tc.want) {
			t.Errorf("%s: warnings %q\nwant %q", tc.name, r.res.Warnings, tc.want)
		}
	}
}

// After a successful completion a bad line on stdout decides nothing, and
// it and the messages after it are still read and counted as late work.
func TestRunBadLineAfterCompletionKeepsReading(t *testing.T) {
	const progress = `{"type":"progress","instance_id":"$ID","percent":50}`
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ", completionLine, "not a message", progress, progress, "EXIT=0"), "Tasks.S", quick)
	r.want(t, OutcomeCompleted)
	want := "work continued after Run returned without a deferral (it wrote 3 line(s) on stdout afterwards, the first not a protocol message): on Windows the process would have been suspended or killed here"
	if len(r.res.Warnings) != 1 || r.res.Warnings[0] != want || r.res.Error != "" {
		t.Errorf("warnings %q, error %q; want %q", r.res.Warnings, r.res.Error, want)
	}
}

// A task completed after a grace period that killed it is reported as
// completed, killed after completion, with the warning that says so.
func TestRunKilledAfterCompletionIsWarned(t *testing.T) {
	pol := quick
	pol.Grace = 300 * time.Millisecond
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ", completionLine, "SLEEP"), "Tasks.S", pol)
	r.want(t, OutcomeCompleted)
	want := "work continued after Run returned without a deferral (it did not exit within the 300ms grace period and was killed): on Windows the process would have been suspended or killed here"
	if !r.res.KilledAfterCompletion || len(r.res.Warnings) != 1 || r.res.Warnings[0] != want {
		t.Errorf("killed after completion %v, warnings %q; want %q", r.res.KilledAfterCompletion, r.res.Warnings, want)
	}
}

// Only the first cancel counts, also when several come before the task
// runs: the task gets the first reason.
func TestRunFirstCancelBeforeTheTaskRunsWins(t *testing.T) {
	cancels := make(chan plugin.CancelReason, 2)
	cancels <- plugin.CancelConditionLoss
	cancels <- plugin.CancelTerminating
	inv := pushInvocation("Tasks.Cooperative", "x")
	inv.Cancel = cancels
	var log lockedBuffer
	res := RunInstance(context.Background(), testPlugin("cancel"), inv, quick, Observer{Log: &log})
	if res.Outcome != OutcomeCanceled || res.CancelReason != plugin.CancelConditionLoss || !strings.Contains(log.String(), "canceled: ConditionLoss") ||
		strings.Contains(log.String(), "Terminating") {
		t.Errorf("outcome %s (%s), reason %v, log %q; want canceled with ConditionLoss only", res.Outcome, res.Error, res.CancelReason, log.String())
	}
}

// A closed Invocation.Cancel is no cancel: the task runs to its completion.
func TestRunClosedCancelChannelIsNoCancel(t *testing.T) {
	cancels := make(chan plugin.CancelReason)
	close(cancels)
	inv := pushInvocation("Tasks.S", "x")
	inv.Cancel = cancels
	res := RunInstance(context.Background(), scripted(handshakeLine, "READ", completionLine, "EXIT=0"), inv, quick, Observer{})
	if res.Outcome != OutcomeCompleted || res.Canceled {
		t.Errorf("outcome %s (%s), canceled %v; want completed", res.Outcome, res.Error, res.Canceled)
	}
}

// The caller's cancel before the plugin's handshake: the task never started.
func TestRunCallerCancelBeforeTheHandshake(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// The plugin logs, then waits: the cancel comes after its start.
	r := runPluginLogging(t, ctx, scripted("LOG=starting", "SLEEP"), "Tasks.S", quick, cancel)
	if r.res.Outcome != OutcomeNotStarted || r.res.Error != "canceled before the plugin's handshake" || r.res.Canceled {
		t.Errorf("outcome %s, error %q, canceled %v", r.res.Outcome, r.res.Error, r.res.Canceled)
	}
}

// Describe reports the handshake's entry points beside the description's,
// and, for a plugin that fails after its handshake, that the handshake was
// fine.
func TestDescribeReportsBothLists(t *testing.T) {
	d, err := Describe(context.Background(), scripted(`{"type":"handshake","protocol":1,"entry_points":["A","B"],"sdk":"kit 2"}`, "READ",
		`{"type":"description","entry_points":["A"]}`, "EXIT=0"), quick)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprintf("%v %v %s %d", d.EntryPoints, d.HandshakeEntryPoints, d.SDK, d.Protocol) != "[A] [A B] kit 2 1" {
		t.Errorf("description %+v", d)
	}
	pol := quick
	pol.HandshakeTimeout = 2 * time.Second // the handshake comes well within it, however slow the start
	for _, tc := range []struct {
		steps          []string
		outcome        Outcome
		detail         string
		afterHandshake bool
	}{
		{[]string{handshakeLine, "READ", "EXIT=4"}, OutcomeProtocolError, "the plugin exited (exit status 4) without answering describe", true},
		{[]string{handshakeLine, "READ", "SLEEP"}, OutcomeNotStarted,
			"no description from the plugin within 2s: a plugin answers describe at once, and flushes stdout (docs/protocol.md)", true},
		{[]string{"EXIT=5"}, OutcomeNotStarted, "the plugin exited (exit status 5) before its handshake", false},
	} {
		p := scripted(tc.steps...)
		_, err := Describe(context.Background(), p, pol)
		var pe *PluginError
		if !errors.As(err, &pe) || pe.Outcome != tc.outcome || pe.Detail != tc.detail || pe.AfterHandshake != tc.afterHandshake || pe.Path != p.Path {
			t.Errorf("%v: error %v (%+v); want %s, %q, after handshake %v", tc.steps, err, pe, tc.outcome, tc.detail, tc.afterHandshake)
		}
	}
}

// The run message's size is bounded by the protocol's line limit, byte for
// byte: a run line of exactly the limit is sent, one byte more is not.
func TestRunMessageAtTheLineLimit(t *testing.T) {
	// The encoded line grows by one byte per byte of a plain-ASCII Header
	// value; find the value that makes it exactly MaxLineBytes + "\n".
	inv := func(n int) Invocation {
		i := pushInvocation("Tasks.Noop", "x")
		i.InstanceID = "00000000-0000-0000-0000-00000000000a"
		i.Trigger.Push.Headers = map[string]string{"X-Pad": strings.Repeat("p", n)}
		return i
	}
	line, err := plugin.EncodeMessage(&plugin.Run{InstanceID: inv(0).InstanceID, Registration: inv(0).Registration, Trigger: inv(0).Trigger})
	if err != nil {
		t.Fatal(err)
	}
	fit := plugin.MaxLineBytes - (len(line) - 1)
	for _, tc := range []struct {
		pad     int
		outcome Outcome
	}{{fit, OutcomeCompleted}, {fit + 1, OutcomeNotStarted}} {
		res := RunInstance(context.Background(), testPlugin("noop"), inv(tc.pad), quick, Observer{})
		if res.Outcome != tc.outcome {
			t.Errorf("run line of %d bytes: outcome %s (%s), want %s", plugin.MaxLineBytes+tc.pad-fit, res.Outcome, res.Error, tc.outcome)
		}
		if tc.outcome == OutcomeNotStarted {
			want := fmt.Sprintf("the run message would be %d bytes, over the protocol's %d-byte line limit: "+
				"send a smaller notification (WNS refuses raw payloads over 5000 bytes)", plugin.MaxLineBytes+1, plugin.MaxLineBytes)
			if res.Error != want {
				t.Errorf("error %q\nwant %q", res.Error, want)
			}
		}
	}
}

// Done is true for a completed instance only.
func TestResultDone(t *testing.T) {
	for o, want := range map[Outcome]bool{OutcomeCompleted: true, OutcomeFailed: false, OutcomeCanceled: false, OutcomeTerminated: false,
		OutcomeProtocolError: false, OutcomeNotStarted: false} {
		if got := (&Result{Outcome: o}).Done(); got != want {
			t.Errorf("%s: Done() = %v", o, got)
		}
	}
}
