package simulate

import (
	"sync"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// outbox calls the Observer on a goroutine of its own. The supervisor's
// timers, cancel and kill must never wait on output: a terminal nobody
// reads, or a stderr piped into a full pipe, would otherwise hold a flooding
// plugin alive past every limit. So calls queue here, bounded in number and
// bytes, and when the queue is full they are dropped and counted. One
// goroutine makes every call, so the Observer is never called concurrently.
type outbox struct {
	mu        sync.Mutex
	queue     []outCall
	bytes     int
	dropped   int
	closed    bool // no more calls are accepted
	abandoned bool // queued calls are discarded, not made
	wake      chan struct{}
	done      chan struct{}
}

type outCall struct {
	call func()
	size int
}

// The queue's bounds: far more than a plugin within its log limit fills
// while a terminal keeps up (a progress report per percent point, the
// first LogLines lines), little memory when nothing drains it.
const (
	outboxMaxCalls = 1 << 16
	outboxMaxBytes = 4 << 20
	// outCallOverhead is what one queued call costs besides its text.
	outCallOverhead = 64
)

func newOutbox() *outbox {
	o := &outbox{wake: make(chan struct{}, 1), done: make(chan struct{})}
	go o.loop()
	return o
}

// post queues call, whose text is size bytes; it never blocks.
func (o *outbox) post(size int, call func()) {
	o.mu.Lock()
	defer o.mu.Unlock()
	size += outCallOverhead
	if o.closed || len(o.queue) >= outboxMaxCalls || o.bytes+size > outboxMaxBytes {
		o.dropped++
		return
	}
	o.queue = append(o.queue, outCall{call: call, size: size})
	o.bytes += size
	select {
	case o.wake <- struct{}{}:
	default:
	}
}

func (o *outbox) loop() {
	defer close(o.done)
	for {
		o.mu.Lock()
		for len(o.queue) == 0 && !o.closed && !o.abandoned {
			o.mu.Unlock()
			<-o.wake
			o.mu.Lock()
		}
		if o.abandoned || len(o.queue) == 0 {
			o.mu.Unlock()
			return
		}
		c := o.queue[0]
		o.queue[0] = outCall{}
		o.queue = o.queue[1:]
		o.bytes -= c.size
		o.mu.Unlock()
		c.call()
	}
}

// finish accepts no more calls and waits up to wait for the queued ones to
// be made. Those still queued then are discarded: the Observer is not
// called after RunInstance returns, except for a call already under way
// (a Write blocked on a stuck stream), which no one can take back. It
// returns how many calls were dropped or discarded. A receive from forced
// ends the wait at once.
func (o *outbox) finish(wait time.Duration, forced <-chan struct{}) int {
	o.mu.Lock()
	o.closed = true
	o.mu.Unlock()
	select {
	case o.wake <- struct{}{}:
	default:
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-o.done:
	case <-t.C:
	case <-forced:
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if !o.abandoned {
		o.abandoned = true
		o.dropped += len(o.queue)
		o.queue = nil
	}
	return o.dropped
}

// observer returns obs with every call going through the outbox.
func (o *outbox) observer(obs Observer) (log func(shown, raw string), progress func(uint32)) {
	if obs.Log != nil || obs.LogLine != nil {
		w, f := obs.Log, obs.LogLine
		log = func(shown, raw string) {
			o.post(len(shown), func() {
				if w != nil {
					_, _ = w.Write([]byte(shown))
				}
				if f != nil {
					f(raw)
				}
			})
		}
	}
	if obs.Progress != nil {
		f := obs.Progress
		progress = func(p uint32) { o.post(0, func() { f(p) }) }
	}
	return log, progress
}

// steps returns obs's Canceled and Killed going through the outbox; either
// is a no-op when obs has none.
func (o *outbox) steps(obs Observer) (canceled func(plugin.CancelReason, time.Time), killed func(time.Time)) {
	canceled, killed = func(plugin.CancelReason, time.Time) {}, func(time.Time) {}
	if f := obs.Canceled; f != nil {
		canceled = func(r plugin.CancelReason, at time.Time) { o.post(0, func() { f(r, at) }) }
	}
	if f := obs.Killed; f != nil {
		killed = func(at time.Time) { o.post(0, func() { f(at) }) }
	}
	return canceled, killed
}
