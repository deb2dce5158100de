package shutdown

import (
	"context"
	"testing"
	"time"
)

// Hold waits until the stop signals are caught: the work it protects must
// not start while a signal would still end the process by its default
// action.
func TestHoldWaitsUntilSignalsAreCaught(t *testing.T) {
	ready := make(chan struct{})
	ctx, g := WithGuard(context.Background(), ready)
	held := make(chan func(), 1)
	go func() { held <- Hold(ctx) }()
	select {
	case <-held:
		t.Fatal("Hold returned before the signals were caught")
	case <-time.After(50 * time.Millisecond):
	}
	close(ready)
	release := <-held
	select {
	case <-g.Idle():
		t.Error("the guard is idle while a hold is taken")
	default:
	}
	release()
	<-g.Idle()
	if !g.Held() {
		t.Error("Held() is false after a hold")
	}
}

// Without a ready channel (signals caught already) a hold is taken at once.
func TestHoldWithoutReadyChannel(t *testing.T) {
	ctx, g := WithGuard(context.Background(), nil)
	release := Hold(ctx)
	if g.Idle() == nil || !g.Held() {
		t.Fatal("no hold taken")
	}
	release()
	release() // a second release changes nothing
	<-g.Idle()
}

// WaitCaught waits for the ready channel, and not at all without one.
func TestWaitCaught(t *testing.T) {
	ready := make(chan struct{})
	ctx, _ := WithGuard(context.Background(), ready)
	done := make(chan struct{})
	go func() { WaitCaught(ctx); close(done) }()
	select {
	case <-done:
		t.Fatal("WaitCaught returned before the signals were caught")
	case <-time.After(50 * time.Millisecond):
	}
	close(ready)
	<-done
	WaitCaught(context.Background())
	noReady, _ := WithGuard(context.Background(), nil)
	WaitCaught(noReady)
}
