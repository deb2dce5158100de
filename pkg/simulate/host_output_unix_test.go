//go:build unix

package simulate

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// stuckWriter blocks every Write until the test ends: a stderr nobody reads.
type stuckWriter struct{ release chan struct{} }

func (w stuckWriter) Write(p []byte) (int, error) {
	<-w.release
	return len(p), nil
}

// floodingIgnorer reports progress and logs without pause and ignores
// cancel: only the kill after the grace period ends it.
func floodingIgnorer() Plugin {
	return Plugin{Path: "sh", Args: []string{"-c", "echo '" + handshakeLine + "'\n" +
		`read line; id=${line#*\"instance_id\":\"}; id=${id%%\"*}` + "\n" +
		`while :; do echo "{\"type\":\"progress\",\"instance_id\":\"$id\",\"percent\":7}"; echo flooding >&2; done`}}
}

// With the observer blocked (bgtask's stderr a pipe nobody reads), a plugin
// flooding progress and log is still cancelled and killed on time: timers
// never wait on output. Before the outbox, progress was delivered on the
// supervisor's goroutine under the log's lock, and the instance ran on for
// as long as the stream stayed blocked.
func TestBlockedObserverDelaysNoLimit(t *testing.T) {
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("needs sh")
	}
	stuck := stuckWriter{release: make(chan struct{})}
	defer close(stuck.release)
	pol := Policy{Timeout: 500 * time.Millisecond, Grace: 300 * time.Millisecond, HandshakeTimeout: 5 * time.Second}
	obs := Observer{Log: stuck, Progress: func(uint32) { <-stuck.release }}
	done := make(chan *Result, 1)
	go func() {
		done <- RunInstance(context.Background(), floodingIgnorer(), pushInvocation("Tasks.S", "x"), pol, obs)
	}()
	// Timeout + grace + drainTimeout (pipes) + drainTimeout (outbox), with
	// room for a loaded machine: the old code never returned.
	select {
	case res := <-done:
		if res.Outcome != OutcomeTerminated || res.CancelReason.String() != "ExecutionTimeExceeded" {
			t.Errorf("outcome %s, cancel %s (%s); want terminated after ExecutionTimeExceeded", res.Outcome, res.CancelReason, res.Error)
		}
		if res.OutputDropped == 0 {
			t.Errorf("OutputDropped = 0; the blocked observer cannot have taken every call")
		}
		if res.Progress != 7 {
			t.Errorf("Progress = %d, want 7: the Result counts what the observer missed", res.Progress)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("RunInstance did not return within 30 s with its observer blocked")
	}
}
