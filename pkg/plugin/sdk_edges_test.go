package plugin

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"
)

// errorText keeps an error of up to maxErrorBytes whole, and cuts a longer
// one at the last character boundary at or before the limit, never inside a
// UTF-8 sequence.
func TestErrorTextCutsAtACharacterBoundary(t *testing.T) {
	const tail = "… [error text cut at 65536 bytes]"
	ascii := strings.Repeat("a", maxErrorBytes)
	odd := "a" + strings.Repeat("é", maxErrorBytes) // é is 2 bytes: byte 65536 is inside one
	emoji := "a" + strings.Repeat("😀", maxErrorBytes/2)
	for _, tc := range []struct {
		name, text, want string
	}{
		{"exactly the limit", ascii, ascii},
		{"one byte over", ascii + "b", ascii + tail},
		{"inside a 2-byte character", odd, odd[:maxErrorBytes-1] + tail},
		{"inside a 4-byte character", emoji, emoji[:maxErrorBytes-3] + tail},
		{"on a boundary", odd[1:], odd[1:maxErrorBytes+1] + tail},
		{"no character start at all", strings.Repeat("\x80", maxErrorBytes+1), tail},
	} {
		if got := errorText(errors.New(tc.text)); got != tc.want {
			t.Errorf("%s: got %d bytes ending %q, want %d bytes ending %q", tc.name, len(got), got[max(0, len(got)-50):], len(tc.want), tc.want[max(0, len(tc.want)-50):])
		}
	}
}

// A push run without a payload has no trigger details: TriggerDetails is a
// nil interface (not an interface holding a nil *RawNotification, which a
// task's `details != nil` would take for a notification).
func TestTriggerDetailsOfAPushWithoutPayload(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trigger Trigger
		details bool
	}{
		{"push without payload", Trigger{Kind: TriggerPush}, false},
		{"push with payload", Trigger{Kind: TriggerPush, Push: &RawNotification{Content: "x"}}, true},
		{"time with a stray payload", Trigger{Kind: TriggerTime, Push: &RawNotification{Content: "x"}}, false},
	} {
		inst := newInstance(Run{InstanceID: "i", Trigger: tc.trigger}, NewEncoder(&bytes.Buffer{}), t.Logf)
		details := inst.TriggerDetails()
		n, ok := inst.RawNotification()
		if (details != nil) != tc.details || ok != tc.details || (n != nil) != tc.details {
			t.Errorf("%s: TriggerDetails %#v, RawNotification %v, %v", tc.name, details, n, ok)
		}
		if tc.details && details.(*RawNotification).Content != "x" {
			t.Errorf("%s: details %#v", tc.name, details)
		}
	}
}

// SetProgress caps at 100 and sends exactly what it is given below that.
func TestSetProgressCaps(t *testing.T) {
	var out bytes.Buffer
	inst := newInstance(Run{InstanceID: "i"}, NewEncoder(&out), t.Logf)
	for _, p := range []uint32{0, 99, 100, 101, 4000000000} {
		inst.SetProgress(p)
	}
	want := `{"type":"progress","instance_id":"i","percent":0}
{"type":"progress","instance_id":"i","percent":99}
{"type":"progress","instance_id":"i","percent":100}
{"type":"progress","instance_id":"i","percent":100}
{"type":"progress","instance_id":"i","percent":100}
`
	if out.String() != want {
		t.Errorf("sent\n%s\nwant\n%s", out.String(), want)
	}
}

// Deferrals are numbered from 1 in the order taken; one taken after the
// instance stopped accepting them sends nothing and its Complete is a no-op.
func TestDeferralIDsAndLateDeferrals(t *testing.T) {
	var out bytes.Buffer
	inst := newInstance(Run{InstanceID: "i"}, NewEncoder(&out), t.Logf)
	a, b := inst.GetDeferral(), inst.GetDeferral()
	b.Complete()
	a.Complete()
	a.Complete() // twice: once only
	done := make(chan struct{})
	go func() { inst.deferrals.waitAndClose(); close(done) }()
	<-done // every deferral completed: waitAndClose returns
	late := inst.GetDeferral()
	late.Complete()
	want := `{"type":"deferral_taken","instance_id":"i","deferral_id":1}
{"type":"deferral_taken","instance_id":"i","deferral_id":2}
{"type":"deferral_completed","instance_id":"i","deferral_id":2}
{"type":"deferral_completed","instance_id":"i","deferral_id":1}
`
	if out.String() != want {
		t.Errorf("sent\n%s\nwant\n%s", out.String(), want)
	}
}

// failingWriter fails every write.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("pipe closed") }

// A message the host cannot be sent is logged, once per message, with what
// failed; one that is sent logs nothing. After the completion nothing more
// is sent.
func TestInstanceOutputLogsOnlyFailures(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    io.Writer
		want string
	}{
		{"ok", &bytes.Buffer{}, ""},
		{"failing", failingWriter{}, "bgtask plugin: sending progress message: pipe closed\n" +
			"bgtask plugin: sending completion message: pipe closed\n"},
	} {
		var log strings.Builder
		inst := newInstance(Run{InstanceID: "i"}, NewEncoder(tc.w), func(f string, a ...any) { fmt.Fprintf(&log, f+"\n", a...) })
		inst.SetProgress(5)
		inst.out.finish(&Completion{InstanceID: "i", Success: true})
		inst.SetProgress(6)                                       // after the completion: dropped, not logged
		inst.out.finish(&Completion{InstanceID: "i", Error: "x"}) // a second completion too
		if log.String() != tc.want {
			t.Errorf("%s: log %q, want %q", tc.name, log.String(), tc.want)
		}
	}
}

// What the SDK says about a line it cannot read shows the line, cut at 80
// bytes.
func TestDecodeMessageQuotesTheLine(t *testing.T) {
	exact := strings.Repeat("x", 80)
	for _, tc := range []struct{ line, want string }{
		{"null", `malformed protocol message: not a JSON object: "null"`},
		{"[1]", `malformed protocol message: not a JSON object: "[1]"`},
		{exact, `malformed protocol message: not a JSON object: "` + exact + `"`},
		{exact + "y", `malformed protocol message: not a JSON object: "` + exact + `"...`},
		{`{"type":3}`, `malformed protocol message: no string "type" member: "{\"type\":3}"`},
	} {
		_, err := DecodeMessage([]byte(tc.line))
		if err == nil || err.Error() != tc.want {
			t.Errorf("DecodeMessage(%q) = %v\nwant %s", tc.line, err, tc.want)
		}
	}
}

// Work left running after Run returned is flagged on stderr when no
// deferral was taken, and not when one was (it kept the instance alive).
func TestServeFlagsForgottenDeferralOnlyWithout(t *testing.T) {
	for _, tc := range []struct {
		name string
		task TaskFunc
		want string
	}{
		{"no deferral", func(_ context.Context, inst *Instance) error {
			stop := make(chan struct{})
			t.Cleanup(func() { close(stop) })
			go func() { <-stop }()
			return nil
		}, WarningPrefix + "work continued after Run returned without a deferral (1 goroutine(s) started during Run were still running)"},
		{"nothing left running", func(context.Context, *Instance) error { return nil }, ""},
		{"a deferral", func(_ context.Context, inst *Instance) error {
			d := inst.GetDeferral()
			go func() { time.Sleep(50 * time.Millisecond); d.Complete() }()
			return nil
		}, ""},
	} {
		s := startSession(t, map[string]Task{"T": tc.task})
		s.next()
		s.send(pushRun("T", ""))
		if c, _ := until[*Completion](s); !c.Success {
			t.Fatalf("%s: completion %+v", tc.name, c)
		}
		s.exitCode()
		log := s.log.String()
		if tc.want == "" && strings.Contains(log, WarningPrefix) || tc.want != "" && !strings.Contains(log, tc.want) {
			t.Errorf("%s: log %q, want %q", tc.name, log, tc.want)
		}
	}
}

// The count of goroutines left running after Run waits (goroutineSettle)
// only when some are: this package's own watcher of the host is not one,
// even before it first runs, when its stack shows only the wrapper of its
// go statement (counted, it cost every instance a millisecond's wait).
func TestNothingLeftRunningCostsNoWait(t *testing.T) {
	settleWaits.Store(0)
	for range 20 {
		s := startSession(t, map[string]Task{"T": TaskFunc(func(context.Context, *Instance) error { return nil })})
		s.next()
		s.send(pushRun("T", ""))
		if c, _ := until[*Completion](s); !c.Success {
			t.Fatalf("completion %+v", c)
		}
		s.exitCode()
	}
	if n := settleWaits.Load(); n != 0 {
		t.Errorf("20 instances that left nothing running waited %d time(s) for goroutines to end", n)
	}
}
