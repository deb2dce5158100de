package cmd

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/bgtask/bgtask/internal/shutdown"
)

// A command's work starts only once Main has caught the stop signals, which
// it asks for on a goroutine while the command tree is built: before, a
// signal ended a command by its default action, without the message and
// exit status every command promises (TestEveryCommandStopsOnSignal failed
// in CI so: SIGHUP came as `manifest list` opened its FIFO). --version does
// no work a signal could interrupt, and does not wait.
func TestCommandsStartOnceSignalsAreCaught(t *testing.T) {
	ready := make(chan struct{})
	ctx, _ := shutdown.WithGuard(context.Background(), ready)

	io, _, out, _ := TestIO()
	if code := Execute(ctx, io, []string{"--version"}); code != 0 || !strings.Contains(out.String(), "bgtask version") {
		t.Fatalf("--version: exit %d, %q", code, out)
	}

	io, _, out, _ = TestIO()
	done := make(chan int, 1)
	go func() { done <- Execute(ctx, io, []string{"lint", "--list-rules"}) }()
	select {
	case code := <-done:
		t.Fatalf("lint ran (exit %d) before the signals were caught", code)
	case <-time.After(100 * time.Millisecond):
	}
	close(ready)
	select {
	case code := <-done:
		if code != 0 || !strings.Contains(out.String(), "BT0") {
			t.Fatalf("lint --list-rules: exit %d, %q", code, out)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("lint did not run once the signals were caught")
	}
}
