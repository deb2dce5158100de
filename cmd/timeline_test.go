package cmd

import (
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
	"time"
)

// The times of an instance's steps, as push --json and serve's read API
// report them, checked against the --timeout and --grace given: a task
// that ignores its cancel runs for the time limit, is cancelled, and is
// killed when the grace period is over (windows-facts.md §4).
const (
	timelineTimeout = 300 * time.Millisecond
	timelineGrace   = 400 * time.Millisecond
	// The times are written from the wall clock, which moves in ticks of up
	// to 15.6 ms on Windows: a gap may read up to a tick short.
	wallClockTick = 20 * time.Millisecond
	// A loaded machine, or Wine, may be slow to react to a timer.
	timelineSlack = 5 * time.Second
)

// stepTimes reads the named RFC 3339 times of one instance; "" or absent
// is the zero time.
func stepTimes(t *testing.T, inst map[string]any, names ...string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	for _, name := range names {
		s, _ := inst[name].(string)
		if s == "" {
			continue
		}
		at, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Errorf("%s = %q: %v", name, s, err)
			continue
		}
		if !strings.HasSuffix(s, "Z") {
			t.Errorf("%s = %q is not UTC", name, s)
		}
		out[name] = at
	}
	return out
}

// checkTimeoutSteps checks the steps of an instance that ran into the time
// limit and was killed after the grace period.
func checkTimeoutSteps(t *testing.T, at map[string]time.Time) {
	t.Helper()
	for _, name := range []string{"startedAt", "runAt", "canceledAt", "killedAt", "endedAt"} {
		if at[name].IsZero() {
			t.Fatalf("%s missing: %v", name, at)
		}
	}
	if _, ok := at["completedAt"]; ok {
		t.Errorf("completedAt = %v for a task that never completed", at["completedAt"])
	}
	gapAtLeast := func(from, to string, min time.Duration) {
		t.Helper()
		if d := at[to].Sub(at[from]); d < min-wallClockTick || d > min+timelineSlack {
			t.Errorf("%s came %v after %s, want %v (up to %v later)", to, d, from, min, timelineSlack)
		}
	}
	gapAtLeast("startedAt", "runAt", 0)
	gapAtLeast("runAt", "canceledAt", timelineTimeout)
	gapAtLeast("canceledAt", "killedAt", timelineGrace)
	gapAtLeast("killedAt", "endedAt", 0)
}

func TestPushJSONTimesATimeoutAndKill(t *testing.T) {
	doc := readJSONDoc(t)
	inServeApp(t)
	registerTestPlugin(t, "Hang", "hang")
	io, _, out, errOut := TestIO()
	args := []string{"push", "--payload", "hi", "--timeout", timelineTimeout.String(), "--grace", timelineGrace.String(), "--json"}
	if code := Execute(context.Background(), io, args); code != ExitFailure {
		t.Fatalf("push: exit %d, want %d; stderr:\n%s", code, ExitFailure, errOut)
	}
	for _, e := range doc.check(doc.sections["bgtask push --json"], out.Bytes()) {
		t.Error(e)
	}
	var rep struct{ Instances []map[string]any }
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil || len(rep.Instances) != 1 {
		t.Fatalf("instances: %v\n%s", err, out)
	}
	in := rep.Instances[0]
	if in["outcome"] != "terminated" || in["cancelReason"] != "ExecutionTimeExceeded" || in["completedAt"] != "" {
		t.Errorf("instance: %v", in)
	}
	checkTimeoutSteps(t, stepTimes(t, in, "startedAt", "runAt", "completedAt", "canceledAt", "killedAt", "endedAt"))
}

// serve's read API carries the steps in the ended event's instance, and
// when the notification was queued; the event follows docs/json.md.
func TestServeEventsTimeATimeoutAndKill(t *testing.T) {
	doc := readJSONDoc(t)
	inServeApp(t)
	registerTestPlugin(t, "Hang", "hang")
	s := startServe(t, "--json", "--plain-http", "--timeout", timelineTimeout.String(), "--grace", timelineGrace.String())
	if resp := s.sendRaw(t, s.token(t), "hello", nil); resp.StatusCode != 200 {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	s.waitFor(t, `"event":"delivery"`, 1)
	resp, err := s.client.Get(s.ready.URL + "/api/v1/events")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, e := range doc.check(doc.sections["GET /api/v1/events"], body) {
		t.Error(e)
	}
	var got struct{ Events []map[string]any }
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	var request, started, cancel, killed, ended map[string]any
	var kinds []string
	for _, ev := range got.Events {
		switch ev["event"] {
		case "request":
			request = ev
		case "started":
			started = ev
		case "cancel":
			cancel = ev
		case "killed":
			killed = ev
		case "ended":
			ended = ev
		default:
			continue
		}
		kinds = append(kinds, ev["event"].(string))
	}
	// The cancel and the kill are told as they happen, before the end.
	if strings.Join(kinds, " ") != "request started cancel killed ended" {
		t.Fatalf("events %v, want request, started, cancel, killed, ended; %s", kinds, body)
	}
	names := []string{"queuedAt", "startedAt", "runAt", "completedAt", "canceledAt", "killedAt", "endedAt"}
	inst, _ := ended["instance"].(map[string]any)
	if inst["outcome"] != "terminated" || inst["cancelReason"] != "ExecutionTimeExceeded" {
		t.Errorf("ended: %v", inst)
	}
	at := stepTimes(t, inst, names...)
	checkTimeoutSteps(t, at)
	// Queued when it was accepted, started after that; the started event
	// says the same as the ended one.
	sent := stepTimes(t, request, "time")["time"]
	if q := at["queuedAt"]; q.IsZero() || q.Before(sent.Add(-time.Second)) || q.After(at["startedAt"]) {
		t.Errorf("queuedAt = %v, want between the request (%v) and the start (%v)", q, sent, at["startedAt"])
	}
	first := stepTimes(t, started["instance"].(map[string]any), names...)
	if !first["queuedAt"].Equal(at["queuedAt"]) || !first["startedAt"].Equal(at["startedAt"]) || len(first) != 2 {
		t.Errorf("started event's times %v, want queuedAt and startedAt as the ended event has them (%v)", first, at)
	}
	// The cancel and killed events carry their step's time, as the ended
	// event gives it.
	for _, c := range []struct {
		ev   map[string]any
		step string
	}{{cancel, "canceledAt"}, {killed, "killedAt"}} {
		inst := c.ev["instance"].(map[string]any)
		times := stepTimes(t, inst, names...)
		if !times[c.step].Equal(at[c.step]) || !times["startedAt"].Equal(at["startedAt"]) || len(times) != 3 {
			t.Errorf("%s event's times %v, want queuedAt, startedAt and %s as the ended event has them (%v)", c.ev["event"], times, c.step, at)
		}
	}
	if r := cancel["instance"].(map[string]any)["cancelReason"]; r != "ExecutionTimeExceeded" {
		t.Errorf("cancel event's cancelReason = %v", r)
	}
}

// serve's text log has a line for the cancel and one for the kill, as
// they happen, between the instance's start and end.
func TestServeTextTellsCancelAndKill(t *testing.T) {
	inServeApp(t)
	registerTestPlugin(t, "Hang", "hang")
	s := startServe(t, "--plain-http", "--timeout", timelineTimeout.String(), "--grace", timelineGrace.String())
	if resp := s.sendRaw(t, s.token(t), "hello", nil); resp.StatusCode != 200 {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	s.waitFor(t, " delivery ", 1)
	var steps []string
	for _, line := range strings.Split(s.out.String(), "\n") {
		if f := strings.Fields(line); len(f) > 3 && f[2] == "msg" {
			steps = append(steps, f[1]+" "+strings.Join(f[4:], " "))
		}
	}
	want := []string{"started Hang", "cancel Hang: ExecutionTimeExceeded", "killed Hang", "ended Hang: terminated", "delivery "}
	if len(steps) != len(want) {
		t.Fatalf("lines %q, want %d: %q", steps, len(want), want)
	}
	for n, w := range want {
		if !strings.HasPrefix(steps[n], w) {
			t.Errorf("line %d is %q, want it to start with %q", n, steps[n], w)
		}
	}
}
