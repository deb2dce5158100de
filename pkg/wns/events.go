package wns

import (
	"context"
	"sync"
	"sync/atomic"
	"time"
)

// Event kinds; docs/json.md documents each as a `bgtask serve --json` line.
const (
	EventToken    = "token"    // a token request, granted or refused
	EventRequest  = "request"  // a send request and its answer
	EventCached   = "cached"   // a notification kept for an offline device
	EventExpired  = "expired"  // a cached or queued notification whose X-WNS-TTL passed
	EventDropped  = "dropped"  // an accepted notification that will not be delivered
	EventDevice   = "device"   // the simulated device went online or offline
	EventChannel  = "channel"  // a channel created over HTTP
	EventStopping = "stopping" // serve stops accepting and finishes running deliveries
	EventTrigger  = "trigger"  // a registration fired by hand from the inbox (reason: its name)

	// Reported by the Deliverer, in this order for one notification.
	EventStarted  = "started"  // a task instance starts
	EventProgress = "progress" // it reported progress
	EventCancel   = "cancel"   // serve sent it the cancel
	EventKilled   = "killed"   // serve killed its processes
	EventLog      = "log"      // a line of its log
	EventEnded    = "ended"    // it ended
	EventDelivery = "delivery" // the notification's delivery is over
)

// Event is one thing that happened in serve. Fields that do not apply to a
// kind are zero (and left out of JSON).
type Event struct {
	// Seq numbers the events of one serve from 1, in order.
	Seq  uint64    `json:"seq"`
	Time time.Time `json:"time"`
	Kind string    `json:"event"`

	// Request and token events.
	Method             string `json:"method,omitempty"`
	Status             int    `json:"status,omitempty"`
	NotificationStatus string `json:"notificationStatus,omitempty"`
	Error              string `json:"error,omitempty"`
	ClientID           string `json:"clientId,omitempty"`

	// Notification events.
	MsgID       string `json:"msgId,omitempty"`
	Channel     string `json:"channel,omitempty"` // the channel's token
	Size        int    `json:"size,omitempty"`
	CachePolicy string `json:"cachePolicy,omitempty"`
	TTL         *int   `json:"ttl,omitempty"` // seconds
	Priority    int    `json:"priority,omitempty"`
	Reason      string `json:"reason,omitempty"`

	// Device events.
	Online *bool `json:"online,omitempty"`

	// Delivery events.
	Disposition string        `json:"disposition,omitempty"`
	Instances   *int          `json:"instances,omitempty"`
	Instance    *InstanceInfo `json:"instance,omitempty"`
	Line        string        `json:"line,omitempty"`
}

// InstanceInfo is one task instance a delivery runs.
type InstanceInfo struct {
	Name       string `json:"name"`
	EntryPoint string `json:"entryPoint"`
	InstanceID string `json:"instanceId,omitempty"`
	// Set on EventProgress and EventEnded.
	Progress *uint32 `json:"progress,omitempty"`
	// Set on EventEnded.
	Outcome          string   `json:"outcome,omitempty"`
	WallMillis       *float64 `json:"wallMs,omitempty"`
	UserMillis       *float64 `json:"userMs,omitempty"`
	SystemMillis     *float64 `json:"systemMs,omitempty"`
	DeferralsTaken   *int     `json:"deferralsTaken,omitempty"`
	DeferralsPending *int     `json:"deferralsPending,omitempty"`
	// Prestarted: its process was started while the instance before it
	// ran (serve --prestart, with notifications waiting).
	Prestarted   bool   `json:"prestarted,omitempty"`
	CancelReason string `json:"cancelReason,omitempty"`
	Error        string `json:"error,omitempty"`
	// Warnings are problems that did not change the outcome, such as work
	// that went on after the task completed without a deferral.
	Warnings []string `json:"warnings,omitempty"`

	// The instance's steps, in UTC, for the inbox's timeline: queued and
	// started from EventStarted on, the others on EventEnded; a step that
	// did not happen is left out.
	QueuedAt    time.Time `json:"queuedAt,omitzero"`
	StartedAt   time.Time `json:"startedAt,omitzero"`
	RunAt       time.Time `json:"runAt,omitzero"`
	CompletedAt time.Time `json:"completedAt,omitzero"`
	CanceledAt  time.Time `json:"canceledAt,omitzero"`
	KilledAt    time.Time `json:"killedAt,omitzero"`
	EndedAt     time.Time `json:"endedAt,omitzero"`
}

// emitter passes events to a sink on its own goroutine through a bounded
// buffer: a slow terminal or a full pipe never slows the HTTP answers, and
// never grows memory. Events that do not fit are counted.
type emitter struct {
	ch     chan Event
	lost   atomic.Int64
	done   chan struct{}
	mu     sync.RWMutex
	closed bool
}

const eventBuffer = 4096

// timeLayout is how the read API writes times.
const timeLayout = time.RFC3339Nano

// newEmitter starts the emitter's goroutine. flush, when given, is called
// whenever the buffer has run empty: the sink may buffer its writes, and a
// burst of events then costs one write, not one each.
func newEmitter(sink func(Event), flush func()) *emitter {
	e := &emitter{ch: make(chan Event, eventBuffer), done: make(chan struct{})}
	go func() {
		defer close(e.done)
		for ev := range e.ch {
			if sink != nil {
				sink(ev)
			}
			if flush != nil && len(e.ch) == 0 {
				flush()
			}
		}
	}()
	return e
}

func (e *emitter) emit(ev Event) {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.closed {
		e.lost.Add(1)
		return
	}
	select {
	case e.ch <- ev:
	default:
		e.lost.Add(1)
	}
}

// close flushes the buffered events and waits for the sink.
func (e *emitter) close() {
	e.closeUntil(context.Background())
}

// closeUntil is close, waiting for the sink only until ctx is done: a sink
// that blocks (a full pipe) is left to the process's end.
func (e *emitter) closeUntil(ctx context.Context) {
	e.mu.Lock()
	if !e.closed {
		e.closed = true
		close(e.ch)
	}
	e.mu.Unlock()
	select {
	case <-e.done:
	case <-ctx.Done():
	}
}
