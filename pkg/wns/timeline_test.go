package wns

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// An instance's steps reach its JSON in UTC, as docs/json.md says the read
// API writes times; a step that did not happen is left out, not written as
// year 1.
func TestInstanceInfoStepTimes(t *testing.T) {
	zone := time.FixedZone("UTC+5", 5*3600)
	base := time.Date(2026, 12, 2, 9, 0, 0, 500, zone)
	in := simulate.InstanceReport{
		Registration: tasks.Registration{Name: "Hang", EntryPoint: "Tasks.T"}, InstanceID: "i1",
		Outcome: simulate.OutcomeTerminated, StartedAt: base.Add(time.Millisecond), EndedAt: base.Add(800 * time.Millisecond),
		Result: &simulate.Result{InstanceID: "i1", Outcome: simulate.OutcomeTerminated, RunAt: base.Add(20 * time.Millisecond),
			CanceledAt: base.Add(320 * time.Millisecond), KilledAt: base.Add(720 * time.Millisecond)},
	}
	data, err := json.Marshal(instanceInfo(in, base))
	if err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(data, &got); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"queuedAt": "2026-12-02T04:00:00.0000005Z", "startedAt": "2026-12-02T04:00:00.0010005Z",
		"runAt": "2026-12-02T04:00:00.0200005Z", "canceledAt": "2026-12-02T04:00:00.3200005Z",
		"killedAt": "2026-12-02T04:00:00.7200005Z", "endedAt": "2026-12-02T04:00:00.8000005Z",
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("%s = %v, want %s", k, got[k], v)
		}
	}
	if _, ok := got["completedAt"]; ok {
		t.Errorf("completedAt written for a task that never completed: %s", data)
	}

	// A registration waiting for its conditions was queued and nothing else.
	waiting := simulate.InstanceReport{Registration: in.Registration, Outcome: simulate.OutcomeWaiting}
	data, _ = json.Marshal(instanceInfo(waiting, base))
	got = nil
	_ = json.Unmarshal(data, &got)
	for _, k := range []string{"startedAt", "runAt", "completedAt", "canceledAt", "killedAt", "endedAt"} {
		if _, ok := got[k]; ok {
			t.Errorf("%s written for an instance that never started: %s", k, data)
		}
	}
	if got["queuedAt"] != want["queuedAt"] {
		t.Errorf("queuedAt = %v, want %s", got["queuedAt"], want["queuedAt"])
	}
}
