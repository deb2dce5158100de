// Package shutdown lets a command stop at once on Ctrl-C, SIGTERM or SIGHUP
// without leaving work half-done. The command's context carries a Guard;
// work that must finish or be undone before the process exits (a running
// plugin process, the rename of a file being replaced) takes a hold on it.
// On a signal the caller cancels the context and exits as soon as no hold is
// left, whatever else the command was doing (reading a huge file, waiting on
// a FIFO): most commands have nothing to clean up, so they need no code of
// their own to stop promptly.
package shutdown

import (
	"context"
	"sync"
)

// Guard counts the holds on one command's context.
type Guard struct {
	ready  <-chan struct{} // closed once the stop signals are caught; nil: they are
	mu     sync.Mutex
	holds  int
	idle   chan struct{} // closed while holds is 0
	force  chan struct{} // closed by Force
	forced bool
	held   bool // a hold was ever taken
	normal bool // a signal is the command's normal end (NormalStop)
}

type guardKey struct{}

// WithGuard returns ctx carrying a new Guard. ready, when not nil, is
// closed once the signals that stop the command are caught: a caller may ask
// for them on a goroutine of its own, so that the command starts without
// waiting for that, and Hold waits for it, since the work a hold protects
// must not be cut short by those signals' default action.
func WithGuard(ctx context.Context, ready <-chan struct{}) (context.Context, *Guard) {
	g := &Guard{ready: ready, idle: make(chan struct{}), force: make(chan struct{})}
	close(g.idle)
	return context.WithValue(ctx, guardKey{}, g), g
}

func from(ctx context.Context) *Guard {
	g, _ := ctx.Value(guardKey{}).(*Guard)
	return g
}

// WaitCaught returns once the stop signals are caught (at once without a
// Guard in ctx, or when the Guard was given no ready channel). A command's
// own work starts after it, so that a signal ends every command as Main
// says (a message, exit 128+n), not by the signal's default action;
// cancelling ctx does not end the wait, as the signals are caught soon
// anyway.
func WaitCaught(ctx context.Context) {
	if g := from(ctx); g != nil && g.ready != nil {
		<-g.ready
	}
}

// Hold keeps the process from exiting on a signal until release is called.
// A holder must check ctx.Err() after taking the hold and before starting
// anything: the signal may have come just before. Without a Guard in ctx
// (tests, library callers) it does nothing.
func Hold(ctx context.Context) (release func()) {
	g := from(ctx)
	if g == nil {
		return func() {}
	}
	if g.ready != nil {
		<-g.ready
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.holds == 0 {
		g.idle = make(chan struct{})
	}
	g.holds++
	g.held = true
	var once sync.Once
	return func() {
		once.Do(func() {
			g.mu.Lock()
			defer g.mu.Unlock()
			g.holds--
			if g.holds == 0 {
				close(g.idle)
			}
		})
	}
}

// Idle is closed while no hold is taken; take it again after a hold is
// released, as it is a new channel each time holds rise from zero.
func (g *Guard) Idle() <-chan struct{} {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.idle
}

// Held reports whether a hold was ever taken: the command has done work
// (run a plugin, written a file) whose report it may still be printing.
func (g *Guard) Held() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.held
}

// Force asks the holders to give up now (a second Ctrl-C): running plugins
// are killed without waiting for their grace period.
func (g *Guard) Force() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if !g.forced {
		g.forced = true
		close(g.force)
	}
}

// Forced is closed when the user asked a second time to stop. Without a
// Guard in ctx it is nil, which never fires.
func Forced(ctx context.Context) <-chan struct{} {
	if g := from(ctx); g != nil {
		return g.force
	}
	return nil
}

// NormalStop marks the command as one that runs until it is stopped (bgtask
// serve): a signal is its normal end, so the process exits with the
// command's own code, not 128+n. Without a Guard in ctx it does nothing.
func NormalStop(ctx context.Context) {
	if g := from(ctx); g != nil {
		g.mu.Lock()
		defer g.mu.Unlock()
		g.normal = true
	}
}

// StopIsNormal reports whether the command called NormalStop.
func (g *Guard) StopIsNormal() bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.normal
}
