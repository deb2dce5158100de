package cmd

import (
	"context"
	"github.com/bgtask/bgtask/pkg/wns"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bgtask/bgtask/internal/wine"
)

// A --ready-file that cannot be written stops serve at once with exit 4: a
// script waiting for the file would otherwise wait out its own timeout while
// serve served on (hostile review). The path is shown escaped.
func TestServeStopsWhenTheReadyFileCannotBeWritten(t *testing.T) {
	t.Chdir(t.TempDir())
	io, _, _, errOut := TestIO()
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	code := make(chan int, 1)
	ready := filepath.Join(t.TempDir(), "missing", "x\x1b[31m.json")
	go func() { code <- Execute(ctx, io, []string{"serve", "--listen", "127.0.0.1:0", "--ready-file", ready}) }()
	select {
	case c := <-code:
		if c != ExitOperational {
			t.Errorf("exit %d, want %d; stderr %q", c, ExitOperational, errOut)
		}
	case <-time.After(30 * time.Second):
		cancel()
		<-code
		t.Fatalf("serve still running 30 s after failing to write its ready file; stderr %q", errOut)
	}
	if strings.Contains(errOut.String(), "\x1b") || !strings.Contains(errOut.String(), "--ready-file") {
		t.Errorf("stderr %q: want the --ready-file error, escaped", errOut)
	}
}

// The ready file replaces a symbolic link at its name instead of writing
// through it: in a shared folder such as /tmp another user could otherwise
// point it at any file serve's user may write, or at one they can read, and
// get the client secret (hostile review).
func TestServeReadyFileReplacesALink(t *testing.T) {
	wine.Skip(t, wine.Symlinks)
	t.Chdir(t.TempDir())
	dir := t.TempDir()
	victim := filepath.Join(dir, "victim.txt")
	if err := os.WriteFile(victim, []byte("precious\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	ready := filepath.Join(dir, "serve.json")
	io, _, _, errOut := TestIO()
	ctx, cancel := context.WithCancel(context.Background())
	code := make(chan int, 1)
	// Planted once serve has removed the old file, before it writes: the
	// race a hostile user wins by planting the link again and again.
	planted := make(chan struct{})
	go func() {
		defer close(planted)
		for range 2000 {
			_ = os.Remove(ready)
			if err := os.Symlink(victim, ready); err == nil {
				if data, _ := os.ReadFile(victim); string(data) != "precious\n" {
					return
				}
			}
			time.Sleep(time.Millisecond)
			if info, err := os.Lstat(ready); err == nil && info.Mode().IsRegular() {
				return // serve wrote its file
			}
		}
	}()
	go func() { code <- Execute(ctx, io, []string{"serve", "--listen", "127.0.0.1:0", "--ready-file", ready}) }()
	<-planted
	cancel()
	<-code
	if data, _ := os.ReadFile(victim); string(data) != "precious\n" {
		t.Errorf("the file the link pointed to was overwritten: %q; stderr %q", data, errOut)
	}
}

// --queue and --history are allocated up front: a huge value is refused as
// a usage error, not a panic (hostile review: makechan: size out of range).
func TestServeBoundsQueueAndHistory(t *testing.T) {
	for _, flag := range []string{"--queue", "--history"} {
		io, _, out, errOut := TestIO()
		code := Execute(context.Background(), io, []string{"serve", flag, "9000000000000000000"})
		if code != ExitUsage || out.Len() != 0 || !strings.Contains(errOut.String(), "must be at most 1048576") {
			t.Errorf("%s huge: exit %d, stdout %q, stderr %q", flag, code, out, errOut)
		}
	}
}

// A port out of range is a usage error (exit 2), not a failure to listen.
func TestServeRefusesAPortOutOfRange(t *testing.T) {
	io, _, _, errOut := TestIO()
	if code := Execute(context.Background(), io, []string{"serve", "--listen", "127.0.0.1:99999"}); code != ExitUsage || !strings.Contains(errOut.String(), "0 to 65535") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// serve's text log escapes a task's log line itself: log events carry the
// line as the task wrote it (for --json and the API), so an escape sequence
// in it must not reach the terminal.
func TestServeTextLogEscapesTaskLines(t *testing.T) {
	o := &serveOutput{}
	text := o.deliveryText(wns.Event{Kind: wns.EventLog, MsgID: "M", Line: "got \x1b]0;pwned\x07 \x1b[31mred",
		Instance: &wns.InstanceInfo{Name: "Raw\x1bPush", InstanceID: "i"}})
	if strings.ContainsAny(text, "\x1b\x07") || !strings.Contains(text, `got \x1b]0;pwned\x07 \x1b[31mred`) {
		t.Errorf("text log line %q", text)
	}
}
