package simulate

import (
	"sync/atomic"
	"testing"
	"time"
)

// blockedOutbox returns an outbox whose first call is under way and stays
// blocked until release is closed, as with a terminal nobody reads.
func blockedOutbox(t *testing.T) (o *outbox, release chan struct{}) {
	t.Helper()
	o = newOutbox()
	started, release := make(chan struct{}), make(chan struct{})
	o.post(0, func() { close(started); <-release })
	select {
	case <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("the outbox made no call")
	}
	return o, release
}

// While the observer is stuck, the calls queued behind it are bounded in
// bytes, each costing its text and a fixed overhead: what fits exactly is
// kept and made once the observer moves again, what does not is dropped
// and counted.
func TestOutboxBoundsQueuedBytes(t *testing.T) {
	o, release := blockedOutbox(t)
	var made atomic.Int32
	call := func() { made.Add(1) }
	for range 4 { // 4 × (1 MiB - overhead + overhead): exactly the 4 MiB bound
		o.post(1<<20-outCallOverhead, call)
	}
	o.post(0, call) // one byte of overhead over it
	close(release)
	dropped := o.finish(time.Minute, nil)
	if made.Load() != 4 || dropped != 1 {
		t.Errorf("made %d calls, dropped %d; want 4 made, 1 dropped", made.Load(), dropped)
	}
	// Calls made free their bytes: a full queue again fits.
	o, release = blockedOutbox(t)
	for range 4 {
		o.post(1<<20-outCallOverhead, call)
	}
	close(release)
	if dropped := o.finish(time.Minute, nil); dropped != 0 || made.Load() != 8 {
		t.Errorf("second round: made %d calls in all, dropped %d; want 8, 0", made.Load(), dropped)
	}
}

// Calls still queued when the wait for them ends are discarded and counted
// with those dropped; none is made afterwards.
func TestOutboxFinishDiscardsWhatIsLeft(t *testing.T) {
	o, release := blockedOutbox(t)
	defer close(release)
	var made atomic.Int32
	for range 3 {
		o.post(10, func() { made.Add(1) })
	}
	if dropped := o.finish(50*time.Millisecond, nil); dropped != 3 {
		t.Errorf("finish: %d dropped, want the 3 still queued", dropped)
	}
	o.post(10, func() { made.Add(1) })
	if made.Load() != 0 {
		t.Errorf("%d calls were made after finish", made.Load())
	}
}
