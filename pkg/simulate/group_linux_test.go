package simulate

import (
	"context"
	"os/exec"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// liveIn lists the pids of live processes (see liveProcesses) in process
// group pgid, or with pid pid; 0 matches nothing.
func liveIn(pgid, pid int) []int {
	procs, _ := liveProcesses()
	var live []int
	for _, p := range procs {
		if (pgid != 0 && p.pgrp == pgid) || (pid != 0 && p.pid == pid) {
			live = append(live, p.pid)
		}
	}
	return live
}

// assertGroupGone fails if anything of the plugin's process group still runs.
func assertGroupGone(t *testing.T, pgid int) {
	t.Helper()
	waitGone(t, func() []int { return liveIn(pgid, 0) }, "process group "+strconv.Itoa(pgid))
}

func assertProcessGone(t *testing.T, pid int) {
	t.Helper()
	waitGone(t, func() []int { return liveIn(0, pid) }, "process "+strconv.Itoa(pid))
}

// waitGone allows a moment for SIGKILL to land.
func waitGone(t *testing.T, live func() []int, what string) {
	t.Helper()
	deadline := time.Now().Add(2 * time.Second)
	for {
		left := live()
		if len(left) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Errorf("%s still has live processes %v", what, left)
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A child that has exited but was never reaped (a zombie) is dead: it is not
// a process left behind. Where PID 1 does not reap orphans (containers
// without an init, CI), such zombies stay in the plugin's group for good;
// the test makes itself their reaper, and reaps nothing, to be that place.
func TestRunZombieChildIsNotLeftover(t *testing.T) {
	const prSetChildSubreaper = 36
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		t.Skipf("cannot become a subreaper: %v", errno)
	}
	defer syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 0, 0)
	r := runPlugin(t, context.Background(), testPlugin("zombie"), "Tasks.Zombie", quick)
	r.want(t, OutcomeCompleted)
	if r.res.LeftoverKilled {
		t.Errorf("a zombie child was reported as a process left behind; log:\n%s", r.log)
	}
}

// The cleanup after the host killed a plugin's group may find a member the
// kill has not finished off yet (SIGKILL lands when the member next runs,
// late on a busy machine): that member is not left behind by the plugin.
// Without the host's kill, a live member is.
func TestKillGroupAfterHostKillIsNoLeftover(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("needs sleep(1)")
	}
	for _, hostKilled := range []bool{true, false} {
		cmd := exec.Command("sleep", "300")
		cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		pr := &process{cmd: cmd, group: &processGroup{pgid: cmd.Process.Pid}, exited: make(chan struct{})}
		pr.hostKilled.Store(hostKilled)
		if got := pr.killGroup(); got == hostKilled {
			t.Errorf("host killed %v: leftover = %v, want %v", hostKilled, got, !hostKilled)
		}
		_ = cmd.Wait()
	}
}
