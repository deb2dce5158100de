package cmd

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Even a bgtask killed by SIGKILL, which runs no code of its own, leaves no
// plugin process behind on Linux: the kernel kills it (PR_SET_PDEATHSIG).
func TestKilledBgtaskTakesItsPluginAlong(t *testing.T) {
	dir := t.TempDir()
	path, pidfile := writePlugin(t, dir, "while :; do sleep 0.1; done")
	c := startBgtask(t, dir, "plugin", "run", path, "--entry-point", "Tasks.S", "--timeout", "60s")
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	pid := pluginPID(t, pidfile)
	_ = c.Process.Signal(syscall.SIGKILL)
	waitExit(t, c, 10*time.Second)
	assertGone(t, pid, "SIGKILL")
}

// A process a plugin started in a session of its own (setsid, as a daemon
// does) is out of reach of the group kill; bgtask ends it with the
// instance, found by the marker it inherited, and the report says so. It
// used to run on after bgtask, then until bgtask exited.
func TestEscapedDescendantsEndWithTheInstance(t *testing.T) {
	if _, err := exec.LookPath("setsid"); err != nil {
		t.Skip("needs setsid")
	}
	dir := t.TempDir()
	escPID := filepath.Join(dir, "escaped.pid")
	path, pidfile := writePlugin(t, dir, "setsid sh -c 'echo $$ > "+escPID+".tmp && mv "+escPID+".tmp "+escPID+"; exec sleep 300' </dev/null >/dev/null 2>&1 &\n"+
		"while [ ! -s "+escPID+" ]; do sleep 0.05; done\n"+
		`id=${line#*\"instance_id\":\"}; id=${id%%\"*}`+"\n"+
		`echo "{\"type\":\"completion\",\"instance_id\":\"$id\",\"success\":true}"`)
	c := startBgtask(t, dir, "plugin", "run", path, "--entry-point", "Tasks.S", "--timeout", "20s")
	var stdout, stderr strings.Builder
	c.Stdout, c.Stderr = &stdout, &stderr
	if err := c.Start(); err != nil {
		t.Fatal(err)
	}
	pluginPID(t, pidfile)
	code, sig := waitExit(t, c, 20*time.Second)
	if code != ExitOK {
		t.Errorf("exit %d (signal %v), want 0; stderr: %s", code, sig, stderr.String())
	}
	esc := pluginPID(t, escPID)
	assertGone(t, esc, "escaped with setsid")
	if want := fmt.Sprintf("killed processes it left behind, 1 outside its process group (setsid, a daemon): pids [%d]", esc); !strings.Contains(stdout.String(), want) {
		t.Errorf("the report does not say %q; stdout: %s", want, stdout.String())
	}
	if strings.Contains(stderr.String(), "outside their process groups") {
		t.Errorf("the escaped process was left for bgtask's exit; stderr: %s", stderr.String())
	}
}
