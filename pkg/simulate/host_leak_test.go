package simulate

import (
	"context"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"
)

// assertGoroutinesBack waits for the goroutine count to return to baseline:
// every goroutine the host starts for a plugin must end with RunInstance.
func assertGoroutinesBack(t *testing.T, baseline int) {
	t.Helper()
	deadline := time.Now().Add(3 * time.Second)
	for runtime.NumGoroutine() > baseline {
		if time.Now().After(deadline) {
			var stacks strings.Builder
			_ = pprof.Lookup("goroutine").WriteTo(&stacks, 1)
			t.Fatalf("%d goroutines left, baseline %d:\n%s", runtime.NumGoroutine(), baseline, stacks.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// Many instances, each ending a different way, leave no goroutine behind.
func TestRunInstancesLeakNoGoroutines(t *testing.T) {
	baseline := runtime.NumGoroutine()
	pol := strict
	pol.HandshakeTimeout = 300 * time.Millisecond
	plugins := []struct{ name, entryPoint string }{
		{"noop", "Tasks.Noop"}, {"crash", "Tasks.Crash"}, {"garbage", "Tasks.Garbage"},
		{"hang", "Tasks.Hang"}, {"mute", "Tasks.Any"}, {"floodstdout", "Tasks.Flood"},
		{"deferral", "Tasks.Deferred"}, {"nohandshake", "Tasks.Any"},
	}
	for range 2 {
		for _, p := range plugins {
			res := RunInstance(context.Background(), testPlugin(p.name), pushInvocation(p.entryPoint, "x"), pol, Observer{})
			if res.Outcome == "" {
				t.Fatalf("%s: no outcome", p.name)
			}
		}
	}
	if _, err := Describe(context.Background(), testPlugin("noop"), quick); err != nil {
		t.Fatal(err)
	}
	assertGoroutinesBack(t, baseline)
}
