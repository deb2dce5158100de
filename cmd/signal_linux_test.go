package cmd

import (
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
