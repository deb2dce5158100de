package cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// testPluginPath copies this test binary as "bgtask-testplugin", which
// TestMain dispatches to testPluginMain, so Go tests can register it.
func testPluginPath(t *testing.T) string {
	t.Helper()
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	name := "bgtask-testplugin"
	if runtime.GOOS == "windows" {
		name += ".exe"
	}
	// A copy, not a symlink: Windows allows symlinks only to administrators
	// or in developer mode, and Wine creates none.
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(path, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return path
}

// signalingBuffer is a buffer that signals when a text appears in it.
type signalingBuffer struct {
	mu     sync.Mutex
	buf    bytes.Buffer
	want   string
	seen   chan struct{}
	closed bool
}

func (b *signalingBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	n, err := b.buf.Write(p)
	if !b.closed && strings.Contains(b.buf.String(), b.want) {
		b.closed = true
		close(b.seen)
	}
	return n, err
}

func (b *signalingBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// Ctrl-C during a delivery cancels the running instance with reason Abort
// (windows-facts.md §3: cancelling running instances uses Abort), waits for
// it within the grace period, and still prints the report; the instance did
// not complete, so the exit status is 1.
func TestPushInterruptedCancelsWithAbortAndReports(t *testing.T) {
	plugin := testPluginPath(t)
	dir := t.TempDir()
	registry := filepath.Join(dir, "registry.json")

	io, _, _, errOut := TestIO()
	if code := Execute(context.Background(), io, []string{"--registry", registry, "register", "--no-manifest-check",
		"--name", "Slow", "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push",
		"--plugin", plugin, "--", "sleep", "1h"}); code != 0 {
		t.Fatalf("register: exit %d: %s", code, errOut)
	}

	io, _, out, _ := TestIO()
	// The task logs "working" once its Run has started the work: only then
	// is there an instance to cancel (before, it would not start at all).
	stderr := &signalingBuffer{want: "Slow: working", seen: make(chan struct{})}
	io.ErrOut = stderr
	ctx, interrupt := context.WithCancel(context.Background())
	defer interrupt()
	go func() {
		select {
		case <-stderr.seen:
			interrupt()
		case <-time.After(30 * time.Second):
		}
	}()
	start := time.Now()
	code := Execute(ctx, io, []string{"--registry", registry, "push", "--payload", "x", "--grace", "5s", "--json"})
	if code != ExitFailure {
		t.Fatalf("exit %d, want %d; stderr:\n%s", code, ExitFailure, stderr)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("the interrupted push took %v", took)
	}
	var rep struct {
		Instances []struct {
			Outcome      string   `json:"outcome"`
			CancelReason string   `json:"cancelReason"`
			Log          []string `json:"log"`
		} `json:"instances"`
	}
	if err := json.Unmarshal(out.Bytes(), &rep); err != nil {
		t.Fatalf("the report is not JSON: %v\n%s", err, out)
	}
	if len(rep.Instances) != 1 {
		t.Fatalf("want one instance in the report, got %d:\n%s", len(rep.Instances), out)
	}
	in := rep.Instances[0]
	if in.Outcome != "canceled" || in.CancelReason != "Abort" {
		t.Errorf("outcome %q, cancel reason %q; want canceled, Abort", in.Outcome, in.CancelReason)
	}
	// The task itself saw the reason: it logs what CancelReason says.
	if !strings.Contains(strings.Join(in.Log, "\n"), "cancelled: Abort") {
		t.Errorf("the task did not see reason Abort; its log: %q", in.Log)
	}
}

// On a terminal, push draws a live progress bar fed by the task's progress
// reports, with the start and end lines and the log printed above it; off a
// terminal the same events are plain lines.
func TestPushProgressBarOnTerminal(t *testing.T) {
	plugin := testPluginPath(t)
	registry := filepath.Join(t.TempDir(), "registry.json")
	io, _, _, errOut := TestIO()
	if code := Execute(context.Background(), io, []string{"--registry", registry, "register", "--no-manifest-check",
		"--name", "Bar", "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push", "--plugin", plugin, "--", "progress"}); code != 0 {
		t.Fatalf("register: exit %d: %s", code, errOut)
	}

	io, _, _, errOut = TestIO()
	io.ErrTTY = true
	// --no-color: the palette is off, the bar (cursor movement) stays.
	if code := Execute(context.Background(), io, []string{"--no-color", "--registry", registry, "push", "--payload", "x"}); code != 0 {
		t.Fatalf("push: exit %d: %s", code, errOut)
	}
	screen := errOut.String()
	for _, want := range []string{"start Bar (Tasks.ExampleBackgroundTask, instance ", "end Bar: completed\n", "100 %", "\x1b[2A",
		"instances: 1 started, 1 ended"} {
		if !strings.Contains(screen, want) {
			t.Errorf("terminal output lacks %q:\n%q", want, screen)
		}
	}
	if strings.Contains(screen, "progress 100%") {
		t.Errorf("plain progress lines on a terminal:\n%q", screen)
	}

	io, _, _, errOut = TestIO()
	if code := Execute(context.Background(), io, []string{"--registry", registry, "push", "--payload", "x"}); code != 0 {
		t.Fatalf("push: exit %d: %s", code, errOut)
	}
	plain := errOut.String()
	if !strings.Contains(plain, "Bar: progress 100%\n") || strings.Contains(plain, "\x1b[") {
		t.Errorf("off a terminal: want plain progress lines and no escapes:\n%q", plain)
	}
}
