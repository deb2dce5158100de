package wns

import (
	"context"
	"testing"
)

// startingDeliverer reports each notification as started the moment it has
// it, as the broker does before it starts the plugin.
type startingDeliverer struct{}

func (startingDeliverer) Deliver(_ context.Context, n Notification, emit func(Event)) {
	emit(Event{Kind: EventStarted, MsgID: n.MsgID})
}

// A send's request event comes before any event of its delivery: the worker
// can take the notification while its handler is still answering, and then
// waits for the handler's event. Found in CI: the timeline test saw
// "started" before "request".
func TestRequestEventComesBeforeItsDelivery(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Deliverer = startingDeliverer{}
		c.Queue = 1000
	})
	const sends = 300
	for range sends {
		f.send(t, "p", nil).Body.Close()
	}
	f.waitEvents(t, EventStarted, sends)
	evs, _ := f.srv.history.since(0)
	requestSeq := map[string]uint64{}
	for _, ev := range evs {
		switch ev.Kind {
		case EventRequest:
			requestSeq[ev.MsgID] = ev.Seq
		case EventStarted:
			if _, ok := requestSeq[ev.MsgID]; !ok {
				t.Fatalf("msg %s started (seq %d) before its request event", ev.MsgID, ev.Seq)
			}
		}
	}
}
