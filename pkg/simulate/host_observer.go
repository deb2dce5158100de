package simulate

import (
	"io"
	"sync"
)

// serialized returns an observer whose Log and Progress share one lock:
// the log is read on its own goroutine while progress arrives on the
// supervisor's, and callers commonly send both to one stream.
func (o Observer) serialized() Observer {
	var mu sync.Mutex
	out := Observer{}
	if o.Log != nil {
		out.Log = &lockedWriter{mu: &mu, w: o.Log}
	}
	if o.Progress != nil {
		progress := o.Progress
		out.Progress = func(p uint32) {
			mu.Lock()
			defer mu.Unlock()
			progress(p)
		}
	}
	return out
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}
