package cmd

import (
	"context"
	"fmt"
	"io"
	"sync"
	"time"
)

// queuedWriter writes to w on a goroutine of its own, in order, so that a
// stream nobody reads (a pipe into a paused pager, a FIFO never opened for
// reading) cannot stop a delivery between its instances, nor Ctrl-C from
// stopping it: what its queue cannot take is dropped and counted, as a
// plugin's log lines are (docs/protocol.md, "What the host enforces").
type queuedWriter struct {
	w    io.Writer
	mu   sync.Mutex // orders Write with close
	q    chan []byte
	done chan struct{}

	closed  bool
	dropped int
}

// queuedLines is how many writes wait for a slow stream before more are
// dropped: a few seconds of a chatty task's log.
const queuedLines = 4096

func newQueuedWriter(w io.Writer) *queuedWriter {
	qw := &queuedWriter{w: w, q: make(chan []byte, queuedLines), done: make(chan struct{})}
	go func() {
		defer close(qw.done)
		for p := range qw.q {
			_, _ = qw.w.Write(p)
		}
	}()
	return qw
}

// Write queues a copy of p; it never waits for the stream.
func (qw *queuedWriter) Write(p []byte) (int, error) {
	qw.mu.Lock()
	defer qw.mu.Unlock()
	if qw.closed {
		qw.dropped++
		return len(p), nil
	}
	select {
	case qw.q <- append([]byte(nil), p...):
	default:
		qw.dropped++
	}
	return len(p), nil
}

// close writes what is queued, with a note of what was dropped, and waits
// until it is written or ctx is done (Ctrl-C): a stream that never drains
// must not keep bgtask from exiting.
func (qw *queuedWriter) close(ctx context.Context) {
	qw.mu.Lock()
	if !qw.closed {
		if qw.dropped > 0 {
			select {
			case qw.q <- fmt.Appendf(nil, "bgtask: %d writes to standard error not shown: it did not keep up\n", qw.dropped):
			default:
			}
		}
		qw.closed = true
		close(qw.q)
	}
	qw.mu.Unlock()
	select {
	case <-qw.done:
		return
	case <-ctx.Done():
	}
	// Stopped: a stream that reads still gets the last lines (they are what
	// the user stopped it to see), one that does not a moment.
	select {
	case <-qw.done:
	case <-time.After(drainAfterStop):
	}
}

// drainAfterStop bounds close's wait for the queued lines after Ctrl-C.
const drainAfterStop = time.Second
