package cmd

import (
	"context"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// A standard error nobody reads (a pipe into a paused pager) does not stop a
// delivery between its instances: they run while their log waits in a queue
// (or is dropped, past its bound), and the command ends once the reader
// takes what is left. Found by a hostile review: push stopped after the
// first instance, holding its lock while a log write waited on the full
// pipe, until the reader woke.
func TestPushGoesOnWhenStandardErrorIsNotRead(t *testing.T) {
	manifest := mustAbs(filepath.Join("..", "testdata", "registry", "Package.appxmanifest"))
	plugin := testPluginPath(t)
	dir := t.TempDir()
	t.Chdir(dir)
	starts := filepath.Join(dir, "starts")
	io0, _, _, regErr := TestIO()
	if code := Execute(context.Background(), io0, []string{"--manifest", manifest, "register", "--name", "Chatty",
		"--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push", "--plugin", plugin, "--", "chatty", starts}); code != ExitOK {
		t.Fatalf("register: exit %d: %s", code, regErr)
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	streams, _, out, _ := TestIO()
	streams.ErrOut = w
	code := make(chan int, 1)
	go func() {
		code <- Execute(context.Background(), streams, []string{"push", "--payload", "x", "--repeat", "3", "--timeout", "200ms", "--grace", "200ms"})
	}()
	// All three instances start while nobody reads standard error.
	for deadline := time.Now().Add(60 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		data, _ := os.ReadFile(starts)
		if strings.Count(string(data), "start") == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d of 3 instances started in 60 s with standard error unread", strings.Count(string(data), "start"))
		}
	}
	go func() { _, _ = io.Copy(io.Discard, r) }()
	select {
	case c := <-code:
		if c != ExitFailure || strings.Count(out.String(), " (Tasks.ExampleBackgroundTask): terminated") != 3 {
			t.Errorf("exit %d, want %d with 3 terminated instances; stdout:\n%s", c, ExitFailure, out)
		}
	case <-time.After(60 * time.Second):
		t.Fatalf("push has not ended 60 s after standard error was read; stdout so far:\n%s", out)
	}
}
