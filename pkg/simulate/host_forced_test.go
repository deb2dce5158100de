package simulate

import (
	"os"
	"sync"
	"testing"
	"time"
)

// After a second Ctrl-C nothing is waited for: the drain of pipes that a
// process outside the plugin's group still holds ends at once, where it
// took two bounds of drainTimeout (the hostile review measured 4 s). The
// guard is one drainTimeout: forced, the return is immediate.
func TestDrainEndsAtOnceWhenForced(t *testing.T) {
	r1, w1, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r2, w2, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer closeAll(w1, w2)
	var readers sync.WaitGroup
	readers.Add(1) // a reader blocked on a pipe held open elsewhere: never done
	forced := make(chan struct{})
	close(forced)
	done := make(chan struct{})
	go func() { drainReaders(&process{stdout: r1, stderr: r2}, &readers, forced); close(done) }()
	select {
	case <-done:
	case <-time.After(drainTimeout):
		t.Fatalf("drainReaders still waiting %v after being forced", drainTimeout)
	}
}

// The outbox's wait for queued log lines ends at once when forced, and the
// lines still queued are counted as dropped.
func TestOutboxFinishEndsAtOnceWhenForced(t *testing.T) {
	o, release := blockedOutbox(t)
	defer close(release)
	for range 3 {
		o.post(10, func() {})
	}
	forced := make(chan struct{})
	close(forced)
	got := make(chan int, 1)
	go func() { got <- o.finish(time.Hour, forced) }()
	select {
	case dropped := <-got:
		if dropped != 3 {
			t.Errorf("finish: %d dropped, want the 3 still queued", dropped)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("finish still waiting after being forced")
	}
}
