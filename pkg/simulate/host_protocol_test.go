package simulate

import (
	"context"
	"strings"
	"testing"
	"time"
)

const handshakeLine = `{"type":"handshake","protocol":1,"entry_points":["Tasks.S"]}`

func scripted(steps ...string) Plugin {
	p := testPlugin("scripted")
	p.Args = steps
	return p
}

// Every deviation docs/protocol.md lists for a running plugin is a
// protocol-error, and the plugin is killed at once.
func TestRunProtocolViolations(t *testing.T) {
	cases := map[string]struct {
		steps []string
		error string
	}{
		"first line not a handshake": {[]string{`{"type":"progress","instance_id":"x","percent":1}`, "SLEEP"}, "first message must be a handshake"},
		"other protocol version":     {[]string{`{"type":"handshake","protocol":2,"entry_points":["Tasks.S"]}`, "SLEEP"}, "protocol version 2"},
		"unknown message type":       {[]string{handshakeLine, "READ", `{"type":"telemetry","instance_id":"$ID"}`, "SLEEP"}, `unknown protocol message type "telemetry"`},
		"missing member":             {[]string{handshakeLine, "READ", `{"type":"progress","instance_id":"$ID"}`, "SLEEP"}, `missing "percent"`},
		"percent out of range": {[]string{handshakeLine, "READ", `{"type":"progress","instance_id":"$ID","percent":101}`, "SLEEP"},
			// a message of a known type with a bad value is the plugin's protocol code at fault, not task code printing to stdout
			"the plugin sent an invalid message: invalid protocol message: progress: percent 101 is outside 0-100 (docs/protocol.md"},
		"wrong instance":       {[]string{handshakeLine, "READ", `{"type":"progress","instance_id":"other","percent":1}`, "SLEEP"}, `instance "other"`},
		"deferral never taken": {[]string{handshakeLine, "READ", `{"type":"deferral_completed","instance_id":"$ID","deferral_id":7}`, "SLEEP"}, "deferral 7 was completed but is not pending"},
		"deferral taken twice": {[]string{handshakeLine, "READ", `{"type":"deferral_taken","instance_id":"$ID","deferral_id":1}`,
			`{"type":"deferral_taken","instance_id":"$ID","deferral_id":1}`, "SLEEP"}, "deferral 1 was taken twice"},
		"success with deferral pending": {[]string{handshakeLine, "READ", `{"type":"deferral_taken","instance_id":"$ID","deferral_id":1}`,
			`{"type":"completion","instance_id":"$ID","success":true}`, "SLEEP"}, "1 deferral(s) still pending"},
		"second handshake": {[]string{handshakeLine, "READ", handshakeLine, "SLEEP"}, "unexpected handshake message"},
		// encoding/json alone read these as progress 0 and as a success.
		"percent null": {[]string{handshakeLine, "READ", `{"type":"progress","instance_id":"$ID","percent":null}`, "SLEEP"},
			`the plugin sent an invalid message: invalid protocol message: progress: "percent" is null; it must be an integer (docs/protocol.md`},
		"success in another case": {[]string{handshakeLine, "READ",
			`{"type":"completion","instance_id":"$ID","success":false,"error":"x","SUCCESS":true}`, "SLEEP"}, `"SUCCESS" is not a member; names are case-sensitive: "success"`},
		"member given twice": {[]string{handshakeLine, "READ",
			`{"type":"completion","instance_id":"$ID","success":false,"error":"x","success":true}`, "SLEEP"}, `"success" is given twice`},
		// Each deferral id is remembered to catch reuse; without a bound a
		// plugin could grow the host's memory without end.
		"too many deferrals": {[]string{handshakeLine, "READ", "REPEAT=10001",
			`{"type":"deferral_taken","instance_id":"$ID","deferral_id":$N}`, "SLEEP"}, "more than 10000 deferrals"},
	}
	for name, c := range cases {
		t.Run(name, func(t *testing.T) {
			r := runPlugin(t, context.Background(), scripted(c.steps...), "Tasks.S", quick)
			r.want(t, OutcomeProtocolError)
			if !strings.Contains(r.res.Error, c.error) {
				t.Errorf("error = %q, want it to mention %q", r.res.Error, c.error)
			}
			r.within(t, 0, 3*time.Second) // killed at once, not after the time limit
		})
	}
}

func TestRunFailedCompletionAndLateOutputIgnored(t *testing.T) {
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ",
		`{"type":"completion","instance_id":"$ID","success":false,"error":"quota exceeded"}`,
		"after completion, stdout is ignored", "EXIT=0"), "Tasks.S", quick)
	r.want(t, OutcomeFailed)
	if r.res.Error != "quota exceeded" {
		t.Errorf("error = %q", r.res.Error)
	}
}

func TestRunCompletionWithoutExitIsKilledAfterGrace(t *testing.T) {
	pol := quick
	pol.Grace = 300 * time.Millisecond
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ",
		`{"type":"completion","instance_id":"$ID","success":true}`, "SLEEP"), "Tasks.S", pol)
	r.want(t, OutcomeCompleted)
	if !r.res.KilledAfterCompletion {
		t.Error("KilledAfterCompletion not reported")
	}
	r.within(t, pol.Grace, pol.Grace+3*time.Second)
}

func TestRunExitAfterCancelWithoutCompletionIsCanceled(t *testing.T) {
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ", "READ", "EXIT=0"), "Tasks.S", strict)
	r.want(t, OutcomeCanceled)
	r.within(t, strict.Timeout, strict.Timeout+3*time.Second)
}

func TestRunClosedStdoutStillTimesOut(t *testing.T) {
	r := runPlugin(t, context.Background(), scripted(handshakeLine, "READ", "CLOSE", "SLEEP"), "Tasks.S", strict)
	r.want(t, OutcomeTerminated)
	if !strings.Contains(r.res.Error, "it had closed its stdout") {
		t.Errorf("error = %q, want it to say stdout was closed", r.res.Error)
	}
	r.within(t, strict.Timeout+strict.Grace, strict.Timeout+strict.Grace+3*time.Second)
}

// windows-facts.md §4: most triggers get 30 s of wall-clock time; a cancelled
// task gets 5 s (documented for Windows 8.1, used for both).
func TestPolicyDefaultsFollowWindows(t *testing.T) {
	p := Policy{}.withDefaults()
	if p.Timeout != 30*time.Second || p.Grace != 5*time.Second {
		t.Fatalf("defaults = %+v", p)
	}
	if q := (Policy{Timeout: time.Second}).withDefaults(); q.Timeout != time.Second || q.Grace != 5*time.Second {
		t.Fatalf("explicit timeout lost: %+v", q)
	}
}

// The handshake deadline counts from the process start: a plugin that starts
// slowly but answers in time runs; one that answers late never starts.
func TestRunHandshakeDeadline(t *testing.T) {
	pol := quick
	pol.HandshakeTimeout = 3 * time.Second // a 500ms delay, well within it however slow the start
	r := runPlugin(t, context.Background(), scripted("SLEEP=500ms", handshakeLine, "READ",
		`{"type":"completion","instance_id":"$ID","success":true}`, "EXIT=0"), "Tasks.S", pol)
	r.want(t, OutcomeCompleted)

	pol.HandshakeTimeout = 200 * time.Millisecond
	r = runPlugin(t, context.Background(), scripted("SLEEP=500ms", handshakeLine, "SLEEP"), "Tasks.S", pol)
	r.want(t, OutcomeNotStarted)
	r.within(t, pol.HandshakeTimeout, pol.HandshakeTimeout+3*time.Second)
}
