package simulate

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// liveProcesses lists the pids of processes that are not zombies and whose
// process group is pgid (pgid 0: any), from /proc. Zombies are ignored: in a
// container without a reaping init they linger after being killed.
func liveProcesses(pgid, pid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var live []int
	for _, path := range stats {
		data, err := os.ReadFile(path)
		if err != nil {
			continue
		}
		// pid (comm) state ppid pgrp ...; comm may hold spaces and parens.
		s := string(data)
		end := strings.LastIndexByte(s, ')')
		if end < 0 {
			continue
		}
		fields := strings.Fields(s[end+1:])
		if len(fields) < 3 || fields[0] == "Z" || fields[0] == "X" {
			continue
		}
		p, _ := strconv.Atoi(strings.Fields(s)[0])
		g, _ := strconv.Atoi(fields[2])
		if (pgid != 0 && g == pgid) || (pid != 0 && p == pid) {
			live = append(live, p)
		}
	}
	return live
}

// assertGroupGone fails if anything of the plugin's process group still runs.
func assertGroupGone(t *testing.T, pgid int) {
	t.Helper()
	waitGone(t, func() []int { return liveProcesses(pgid, 0) }, "process group "+strconv.Itoa(pgid))
}

func assertProcessGone(t *testing.T, pid int) {
	t.Helper()
	waitGone(t, func() []int { return liveProcesses(0, pid) }, "process "+strconv.Itoa(pid))
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
