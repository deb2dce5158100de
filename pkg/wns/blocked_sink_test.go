package wns

import (
	"context"
	"net/http"
	"testing"
	"time"
)

// A terminal that stops reading (serve's stdout on a pipe nobody drains)
// blocks the caller's event sink. It must cost the terminal its events only:
// the read API's history keeps the latest events, and Shutdown returns when
// its context ends instead of waiting for the sink forever. Found by a
// hostile review: serve ignored Ctrl-C and SIGTERM, and the read API stopped
// at the first ~380 events.
func TestBlockedSinkStallsNeitherHistoryNorShutdown(t *testing.T) {
	unblock := make(chan struct{})
	defer close(unblock)
	f := newFixture(t, func(c *Config) {
		c.Events = func(Event) { <-unblock } // a full pipe
		c.Queue = 10000
		c.Deliverer = nil // nothing to deliver to: only the events matter here
	})
	const sends = eventBuffer + 500 // more than the emitter buffers
	for i := range sends {
		resp := f.send(t, "p", nil)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("send %d: status %d", i, resp.StatusCode)
		}
	}
	// Every send's request event reaches the history.
	deadline := time.Now().Add(10 * time.Second)
	for {
		evs, _ := f.srv.history.since(0)
		received := 0
		for _, ev := range evs {
			if ev.Kind == EventRequest {
				received++
			}
		}
		if received >= min(sends, f.srv.cfg.History) || time.Now().After(deadline) {
			if received < min(sends, f.srv.cfg.History) {
				t.Fatalf("the history holds %d received events after %d sends", received, sends)
			}
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan struct{})
	go func() { f.srv.Shutdown(ctx); close(done) }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Shutdown still waiting for a blocked sink 30 s after its context ended")
	}
}
