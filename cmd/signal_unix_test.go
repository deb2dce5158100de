//go:build unix

package cmd

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/bgtask/bgtask/internal/fsutil"
)

// These tests run the real bgtask binary (testscript.Main put it in PATH)
// and signal it, as a terminal, a service manager or a pipe would.

// startBgtask starts bgtask with args in dir.
func startBgtask(t *testing.T, dir string, args ...string) *exec.Cmd {
	t.Helper()
	c := exec.Command("bgtask", args...)
	c.Dir = dir
	c.Env = append(os.Environ(), "NO_COLOR=1")
	return c
}

// waitExit waits for c, at most limit, and returns its exit code (-1 and
// the signal when a signal killed it).
func waitExit(t *testing.T, c *exec.Cmd, limit time.Duration) (int, syscall.Signal) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- c.Wait() }()
	select {
	case err := <-done:
		var ee *exec.ExitError
		if err != nil && !errors.As(err, &ee) {
			t.Fatalf("waiting for bgtask: %v", err)
		}
		ws := c.ProcessState.Sys().(syscall.WaitStatus)
		if ws.Signaled() {
			return -1, ws.Signal()
		}
		return ws.ExitStatus(), 0
	case <-time.After(limit):
		_ = c.Process.Kill()
		<-done
		t.Fatalf("bgtask %v did not exit within %v", c.Args[1:], limit)
		return 0, 0
	}
}

// Every command stops on a signal, even one blocked in a system call of its
// own: `push --payload-file -` reading a standard input that never ends
// (before, `manifest list` blocked in opening a FIFO named as the manifest,
// and ignored Ctrl-C, SIGTERM and SIGHUP; such a FIFO is refused now).
func TestEveryCommandStopsOnSignal(t *testing.T) {
	dir := t.TempDir()
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}, {syscall.SIGHUP, 129}} {
		c := startBgtask(t, dir, "push", "--payload-file", "-")
		var stderr strings.Builder
		c.Stderr = &stderr
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		c.Stdin = r
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		// One byte, read once bgtask runs the command: then it waits in
		// its read for the rest, which never comes (w stays open).
		if _, err := w.Write([]byte("x")); err != nil {
			t.Fatal(err)
		}
		waitDrained(t, r)
		_ = c.Process.Signal(tc.sig)
		code, sig := waitExit(t, c, 10*time.Second)
		if code != tc.code {
			t.Errorf("%v: exit %d (signal %v), want %d; stderr: %s", tc.sig, code, sig, tc.code, stderr.String())
		}
		if !strings.Contains(stderr.String(), "stopped by") {
			t.Errorf("%v: stderr does not say why it stopped: %q", tc.sig, stderr.String())
		}
		r.Close()
		w.Close()
	}
}

// waitHolding waits until process pid has path open (it is waiting on the
// lock it names), from /proc; without /proc it waits a moment instead.
func waitHolding(t *testing.T, pid int, path string) {
	t.Helper()
	fds := "/proc/" + strconv.Itoa(pid) + "/fd"
	if _, err := os.Stat(fds); err != nil {
		time.Sleep(time.Second)
		return
	}
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		entries, _ := os.ReadDir(fds)
		for _, e := range entries {
			if target, err := os.Readlink(filepath.Join(fds, e.Name())); err == nil && target == path {
				return
			}
		}
	}
	t.Fatalf("bgtask never opened %s", path)
}

// waitTryingLock waits until bgtask is seen trying the lock at path. A try
// holds the file open only for an instant (gofrs/flock opens, tries and
// closes it every 10 ms), so it is looked for often, and a signal sent
// before it was seen is fine too: the test's assertions hold whenever the
// signal comes, as long as bgtask has started.
func waitTryingLock(t *testing.T, pid int, path string) {
	t.Helper()
	fds := "/proc/" + strconv.Itoa(pid) + "/fd"
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		entries, err := os.ReadDir(fds)
		if err != nil {
			break
		}
		for _, e := range entries {
			if target, err := os.Readlink(filepath.Join(fds, e.Name())); err == nil && target == path {
				return
			}
		}
	}
	t.Logf("bgtask was not seen trying %s; signalling it anyway", path)
}

// writePlugin writes a shell task plugin that records its pid in pidfile,
// then runs body after reading the run message. It ignores cancel.
func writePlugin(t *testing.T, dir, body string) (path, pidfile string) {
	t.Helper()
	if _, err := exec.LookPath("sh"); err != nil {
		t.Skip("needs sh")
	}
	path = filepath.Join(dir, "task.sh")
	pidfile = filepath.Join(dir, "plugin.pid")
	script := "#!/bin/sh\n" +
		`echo '{"type":"handshake","protocol":1,"entry_points":["Tasks.S"]}'` + "\n" +
		"read line\necho $$ > " + pidfile + ".tmp && mv " + pidfile + ".tmp " + pidfile + "\n" + body + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, pidfile
}

// pluginPID waits for the plugin to write its pid.
func pluginPID(t *testing.T, pidfile string) int {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		data, err := os.ReadFile(pidfile)
		if err == nil {
			if pid, err := strconv.Atoi(strings.TrimSpace(string(data))); err == nil {
				return pid
			}
		}
	}
	t.Fatal("the plugin never wrote its pid")
	return 0
}

// alive reports whether pid is a live process (not a zombie).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true // no /proc: the kill probe decides
	}
	s := string(data)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
	return len(fields) == 0 || (fields[0] != "Z" && fields[0] != "X")
}

// assertGone fails unless pid ends within a moment, and kills it if not.
func assertGone(t *testing.T, pid int, what string) {
	t.Helper()
	for deadline := time.Now().Add(3 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if !alive(pid) {
			return
		}
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	t.Errorf("%s: plugin process %d outlived bgtask", what, pid)
}

// SIGHUP (a closed terminal, a dropped SSH session) is SIGTERM: the plugin
// is cancelled and killed before bgtask exits 129. It used to kill bgtask at
// once and leave the plugin running past every limit.
func TestHangupEndsPluginsFirst(t *testing.T) {
	dir := t.TempDir()
	path, pidfile := writePlugin(t, dir, "while :; do sleep 0.1; done")
	c := startBgtask(t, dir, "plugin", "run", path, "--entry-point", "Tasks.S", "--timeout", "60s", "--grace", "1s")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	pid := pluginPID(t, pidfile)
	_ = c.Process.Signal(syscall.SIGHUP)
	code, sig := waitExit(t, c, 20*time.Second)
	if code != 129 {
		t.Errorf("exit %d (signal %v), want 129", code, sig)
	}
	assertGone(t, pid, "SIGHUP")
}

// A stderr whose reader went away (`2>&1 | head -1`) must not kill bgtask
// with SIGPIPE while its plugin logs: it ends the plugin under its limits
// first. It used to die of SIGPIPE at the first log line after the pipe
// closed, leaving the plugin running.
func TestBrokenStderrEndsPluginsFirst(t *testing.T) {
	dir := t.TempDir()
	// The plugin ignores SIGPIPE too, so that bgtask's death cannot end it.
	path, pidfile := writePlugin(t, dir, "trap '' PIPE\nwhile :; do echo logging >&2; sleep 0.01; done")
	c := startBgtask(t, dir, "plugin", "run", path, "--entry-point", "Tasks.S", "--timeout", "2s", "--grace", "1s")
	stderr, err := c.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	pid := pluginPID(t, pidfile)
	if _, err := bufio.NewReader(stderr).ReadString('\n'); err != nil {
		t.Fatal(err)
	}
	stderr.Close() // as head -1 does
	code, sig := waitExit(t, c, 20*time.Second)
	if sig != 0 {
		t.Errorf("bgtask was killed by %v", sig)
	} else if code != ExitOperational {
		t.Errorf("exit %d, want %d (output that could not be written)", code, ExitOperational)
	}
	assertGone(t, pid, "broken stderr")
}

// With bgtask's stderr a pipe nobody reads, a plugin flooding progress and
// log is still cancelled and killed on time (--timeout 2s --grace 1s):
// timers never wait on output, which is dropped and counted instead. It
// used to run on for as long as the pipe stayed full.
func TestBlockedStderrDelaysNoLimit(t *testing.T) {
	dir := t.TempDir()
	path, pidfile := writePlugin(t, dir, `id=${line#*\"instance_id\":\"}; id=${id%%\"*}`+"\n"+
		`while :; do echo "{\"type\":\"progress\",\"instance_id\":\"$id\",\"percent\":7}"; echo flooding the log >&2; done`)
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close() // open and never read: writes block once it is full
	c := startBgtask(t, dir, "plugin", "run", path, "--entry-point", "Tasks.S", "--timeout", "2s", "--grace", "1s", "--json")
	var stdout strings.Builder
	c.Stdout, c.Stderr = &stdout, w
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	w.Close()
	pid := pluginPID(t, pidfile)
	start := time.Now()
	code, sig := waitExit(t, c, 30*time.Second)
	if code != ExitFailure {
		t.Errorf("exit %d (signal %v), want %d (terminated); stdout: %s", code, sig, ExitFailure, stdout.String())
	}
	for _, want := range []string{`"outcome": "terminated"`, `"cancelReason": "ExecutionTimeExceeded"`} {
		if !strings.Contains(stdout.String(), want) {
			t.Errorf("the report lacks %s: %s", want, stdout.String())
		}
	}
	if strings.Contains(stdout.String(), `"outputDropped": 0`) {
		t.Errorf("nothing counted as dropped with stderr blocked: %s", stdout.String())
	}
	assertGone(t, pid, "blocked stderr")
	t.Logf("bgtask ended %v after the plugin started", time.Since(start).Round(100*time.Millisecond))
}

// Ctrl-C while an edit waits for another bgtask's lock stops it at once
// (exit 130) with the file untouched: a change is made whole or not at all.
func TestInterruptedEditWritesNothing(t *testing.T) {
	manifest, _ := filesFixture(t)
	dir := filepath.Dir(manifest)
	unlock, err := fsutil.LockTransient(context.Background(), fsutil.UserFileLockPath(manifest))
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	before, _ := os.ReadFile(manifest)
	c := startBgtask(t, dir, "manifest", "add", "--entry-point", "Tasks.Sync", "--type", "timer")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	waitTryingLock(t, c.Process.Pid, fsutil.UserFileLockPath(manifest))
	_ = c.Process.Signal(syscall.SIGINT)
	if code, sig := waitExit(t, c, 10*time.Second); code != 130 {
		t.Errorf("exit %d (signal %v), want 130", code, sig)
	}
	if after, _ := os.ReadFile(manifest); !bytes.Equal(before, after) {
		t.Error("the manifest changed")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.Contains(e.Name(), ".tmp-") {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// Ctrl-C during bgtask push: the running instance is cancelled with reason
// Abort and given its grace period (the plugin takes 2 s of it, longer than
// bgtask waits for commands that hold nothing), the report is still printed,
// and bgtask exits 130 with no plugin left.
func TestPushInterruptedBySignalReports(t *testing.T) {
	dir := t.TempDir()
	path, pidfile := writePlugin(t, dir, `while read line; do case "$line" in *'"cancel"'*) echo "got $line" >&2; sleep 2; `+
		`echo '{"type":"completion","instance_id":"'"$(cat id)"'","success":false,"error":"stopped"}'; exit 0;; esac; done`)
	// The plugin needs its instance id for the completion: save it from the run line.
	script, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	script = []byte(strings.Replace(string(script), "read line\n",
		`read line; echo "$line" | sed 's/.*"instance_id":"\([^"]*\)".*/\1/' > id`+"\n", 1))
	if err := os.WriteFile(path, script, 0o755); err != nil {
		t.Fatal(err)
	}
	reg := startBgtask(t, dir, "--registry", "reg.json", "register", "--no-manifest-check", "--name", "S",
		"--entry-point", "Tasks.S", "--trigger", "push", "--plugin", path)
	if out, err := reg.CombinedOutput(); err != nil {
		t.Fatalf("register: %v\n%s", err, out)
	}
	c := startBgtask(t, dir, "--registry", "reg.json", "push", "--payload", "x", "--grace", "5s", "--json")
	var out strings.Builder
	c.Stdout = &out
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	pid := pluginPID(t, pidfile)
	_ = c.Process.Signal(syscall.SIGINT)
	code, sig := waitExit(t, c, 20*time.Second)
	if code != 130 {
		t.Errorf("exit %d (signal %v), want 130", code, sig)
	}
	assertGone(t, pid, "SIGINT")
	for _, want := range []string{`"outcome": "canceled"`, `"cancelReason": "Abort"`, `"error": "stopped"`} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the report lacks %s:\n%s", want, out.String())
		}
	}
}

// A payload read from standard input may never come (a pipe held open, a
// terminal nobody types into): Ctrl-C must stop bgtask there. It waited for
// the end of the input before: push and trigger took their hold on the
// shutdown guard before reading it.
func TestPayloadFromStdinStopsOnSignal(t *testing.T) {
	dir := t.TempDir()
	reg := startBgtask(t, dir, "--registry", "reg.json", "register", "--no-manifest-check", "--name", "S",
		"--entry-point", "Tasks.S", "--trigger", "push", "--example")
	if out, err := reg.CombinedOutput(); err != nil {
		t.Fatalf("register: %v\n%s", err, out)
	}
	for _, args := range [][]string{
		{"push", "--payload-file", "-"},
		{"trigger", "S", "--payload-file", "-"},
	} {
		c := startBgtask(t, dir, append([]string{"--registry", "reg.json"}, args...)...)
		r, w, err := os.Pipe()
		if err != nil {
			t.Fatal(err)
		}
		c.Stdin = r
		var stderr strings.Builder
		c.Stderr = &stderr
		if err := c.Start(); err != nil {
			t.Fatal(err)
		}
		r.Close()
		// Long enough for bgtask to be reading its input; a signal that
		// came earlier must end it the same way.
		time.Sleep(time.Second)
		_ = c.Process.Signal(syscall.SIGINT)
		code, sig := waitExit(t, c, 10*time.Second)
		w.Close()
		if code != 130 {
			t.Errorf("%v: exit %d (signal %v), want 130; stderr: %s", args, code, sig, stderr.String())
		}
		if !strings.Contains(stderr.String(), "stopped by") {
			t.Errorf("%v: stderr does not say why it stopped: %q", args, stderr.String())
		}
	}
}
