package simulate

import (
	"context"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/bgtask/bgtask/internal/shutdown"
)

// A prestarted process is the plugin process of an instance that has not
// begun yet. bgtask serve starts it while the instance before it runs, when
// more notifications wait in its queue, so that the next instance waits for
// no process start (the start of a process is most of a delivery's time).
//
// It is still one process per instance (docs/protocol.md): a prestarted
// process serves exactly one instance or none, and until its run message it
// is a plugin that has started and waits for its request, which the
// protocol lets it do for as long as the host likes. Its pipes are not read
// until its instance begins, so what it writes before then (its handshake,
// a log line its start-up writes) is read by that instance, in order, as if
// it had just been written; the handshake deadline and the instance's wall
// time count from when the instance begins. A process that is not used (the
// next instance runs another plugin, its executable changed since, the
// queue ran dry, serve stops) gets end of file on its stdin, which tells a
// plugin that the host gave up on it, and is killed with its group if it
// has not exited within the grace period.
type prestarted struct {
	p Plugin
	// exe is the executable as it was just before the start: a rebuild
	// since then means the instance must start the new one.
	exe     os.FileInfo
	started chan struct{} // closed when the start has returned
	pr      *process
	err     error
	// gone is closed when the process was taken or discarded: its watcher
	// of the context then has nothing left to do.
	gone    chan struct{}
	release func() // the shutdown hold taken for it
	// forced is closed when the user asks bgtask a second time to stop:
	// a discarded process is then killed without its grace period.
	forced <-chan struct{}
}

// prestarter holds at most one prestarted process: the next instance's.
// Its zero value holds none.
type prestarter struct {
	mu   sync.Mutex
	next *prestarted
	// live counts the processes started ahead that are neither handed to
	// an instance nor gone; close waits for it to reach zero (fewer is
	// signalled at each decrease). Counted from the start to the end, a
	// process being discarded by its context's watcher is waited for
	// too, where a record made at the discard left a moment in which
	// close saw nothing to wait for.
	live  int
	fewer *sync.Cond
}

// doneLocked counts one process out of live.
func (ps *prestarter) doneLocked() {
	ps.live--
	if ps.fewer != nil {
		ps.fewer.Broadcast()
	}
}

// start starts p for a later instance, unless the process held is p's
// already; a process held for another plugin is discarded. Nothing is
// started once ctx is done, and the process is discarded when ctx ends
// before an instance takes it.
func (ps *prestarter) start(ctx context.Context, p Plugin) {
	release := shutdown.Hold(ctx)
	if ctx.Err() != nil {
		release()
		return
	}
	ps.mu.Lock()
	old := ps.next
	if old != nil && samePlugin(old.p, p) {
		ps.mu.Unlock()
		release()
		return
	}
	w := &prestarted{p: p, started: make(chan struct{}), gone: make(chan struct{}), release: release,
		forced: shutdown.Forced(ctx)}
	ps.next = w
	ps.live++
	ps.mu.Unlock()
	if old != nil {
		ps.discard(old)
	}
	go func() {
		w.exe = executableInfo(p)
		w.pr, w.err = startProcess(p)
		close(w.started)
	}()
	go func() {
		select {
		case <-ctx.Done():
			ps.mu.Lock()
			mine := ps.next == w
			if mine {
				ps.next = nil
			}
			ps.mu.Unlock()
			if mine {
				ps.discard(w)
			}
		case <-w.gone:
		}
	}()
}

// take returns the prestarted process for p, or nil when there is none
// that may serve: none was started, it is another plugin's, its start
// failed, it has exited, or p's executable changed since it started. The
// caller starts p itself then, so that whatever went wrong is reported as
// that start's; a process that cannot serve is discarded.
func (ps *prestarter) take(p Plugin) *process {
	ps.mu.Lock()
	w := ps.next
	ps.next = nil
	ps.mu.Unlock()
	if w == nil {
		return nil
	}
	<-w.started
	usable := w.err == nil && samePlugin(w.p, p) && unchangedFile(w.exe, executableInfo(p))
	if usable {
		select {
		case <-w.pr.exited:
			usable = false
		default:
		}
	}
	if !usable {
		ps.discard(w)
		return nil
	}
	close(w.gone)
	// The instance takes a hold of its own for the process from here on.
	w.release()
	w.pr.start = time.Now()
	ps.mu.Lock()
	ps.doneLocked()
	ps.mu.Unlock()
	return w.pr
}

// discardNext discards the process held, if any.
func (ps *prestarter) discardNext() {
	ps.mu.Lock()
	w := ps.next
	ps.next = nil
	ps.mu.Unlock()
	if w != nil {
		ps.discard(w)
	}
}

// close discards the process held and waits until every discarded process
// has exited.
func (ps *prestarter) close() {
	ps.discardNext()
	ps.mu.Lock()
	defer ps.mu.Unlock()
	if ps.fewer == nil {
		ps.fewer = sync.NewCond(&ps.mu)
	}
	for ps.live > 0 {
		ps.fewer.Wait()
	}
}

// discard ends w's process, which no instance will use, on a goroutine of
// its own. w must no longer be ps.next.
func (ps *prestarter) discard(w *prestarted) {
	close(w.gone)
	go func() {
		defer func() {
			ps.mu.Lock()
			ps.doneLocked()
			ps.mu.Unlock()
		}()
		defer w.release()
		<-w.started
		if w.pr == nil {
			return
		}
		pr := w.pr
		// End of file before a request: the plugin exits with status 0
		// (docs/protocol.md). Nothing will read what it wrote.
		pr.input.close()
		closeAll(pr.stdout, pr.stderr)
		grace := time.NewTimer(DefaultGrace)
		defer grace.Stop()
		select {
		case <-pr.exited:
		case <-grace.C:
			pr.kill()
			<-pr.exited
		case <-w.forced:
			pr.kill()
			<-pr.exited
		}
		pr.cleanup()
	}()
}

// samePlugin reports whether a and b start the same program the same way.
func samePlugin(a, b Plugin) bool {
	return a.Path == b.Path && a.Dir == b.Dir && slices.Equal(a.Args, b.Args) && slices.Equal(a.Env, b.Env)
}

// executableInfo is the file p starts now; nil when it cannot be found.
func executableInfo(p Plugin) os.FileInfo {
	file, err := FindPlugin(p.Path)
	if err != nil {
		return nil
	}
	info, err := os.Stat(file)
	if err != nil {
		return nil
	}
	return info
}

// unchangedFile reports whether a and b are the same file, unchanged: a build
// that replaces the file (a new inode) or rewrites it in place (a new
// modification time or size) is another program. os.SameFile is false when
// either is nil (a file that could not be found), so it guards the rest.
func unchangedFile(a, b os.FileInfo) bool {
	return os.SameFile(a, b) && a.ModTime().Equal(b.ModTime()) && a.Size() == b.Size()
}
