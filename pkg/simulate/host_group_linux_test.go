package simulate

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// procState is a process's state letter as /proc/PID/status says it ("S",
// "Z", ...), "" when the process is gone.
func procState(pid int) string {
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "State:"); ok {
			if f := strings.Fields(v); len(f) > 0 {
				return f[0]
			}
		}
	}
	return ""
}

// liveProcesses, which decides whether a plugin's group has members left,
// lists every process that is not a zombie, once, each with the process group the
// kernel gives for it (getpgid(2)), and no zombie: checked against every
// process of the machine that stayed as it was while it ran.
func TestLiveProcessesMatchTheKernel(t *testing.T) {
	// A zombie of our own: a child that exited and is not reaped yet (the
	// noop plugin exits at once when its stdin is empty).
	child := exec.Command(testPlugin("noop").Path)
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	defer child.Wait()
	zombie := child.Process.Pid
	for deadline := time.Now().Add(10 * time.Second); procState(zombie) != "Z"; {
		if time.Now().After(deadline) {
			t.Fatalf("child %d did not become a zombie (state %q)", zombie, procState(zombie))
		}
		time.Sleep(10 * time.Millisecond)
	}

	type seen struct {
		pgid  int
		state string
	}
	snapshot := func() map[int]seen {
		entries, err := os.ReadDir("/proc")
		if err != nil {
			t.Fatal(err)
		}
		m := map[int]seen{}
		for _, e := range entries {
			pid, err := strconv.Atoi(e.Name())
			if err != nil {
				continue
			}
			pgid, err := syscall.Getpgid(pid)
			state := procState(pid)
			if err == nil && state != "" {
				m[pid] = seen{pgid, state}
			}
		}
		return m
	}
	before := snapshot()
	live, err := liveProcesses()
	if err != nil {
		t.Fatal(err)
	}
	after := snapshot()
	got := map[int]procEntry{}
	for _, p := range live {
		if _, twice := got[p.pid]; twice {
			t.Errorf("pid %d is listed twice", p.pid)
		}
		got[p.pid] = p
	}
	checked := 0
	for pid, b := range before {
		if a, ok := after[pid]; !ok || a != b {
			continue // it changed while liveProcesses ran
		}
		p, listed := got[pid]
		switch dead := b.state == "Z" || b.state == "X"; {
		case dead && listed:
			t.Errorf("pid %d (state %s) is listed as live", pid, b.state)
		case !dead && !listed:
			t.Errorf("pid %d (state %s) is not listed", pid, b.state)
		case !dead && p.pgrp != b.pgid:
			t.Errorf("pid %d: group %d, the kernel says %d", pid, p.pgrp, b.pgid)
		}
		checked++
	}
	if _, ok := before[zombie]; !ok || checked < 3 {
		t.Fatalf("checked %d processes (zombie %d seen: %v)", checked, zombie, ok)
	}
	// Start times are clock ticks since boot: ours is after the boot, and
	// a child started after us does not start before us.
	me, ok := got[os.Getpid()]
	if !ok || me.start == 0 {
		t.Fatalf("this process: %+v, listed %v; want a start time", me, ok)
	}
	sleeper := exec.Command(testPlugin("scripted").Path, "SLEEP")
	if err := sleeper.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = sleeper.Process.Kill(); _ = sleeper.Wait() }()
	later, _ := liveProcesses()
	found := false
	for _, p := range later {
		if p.pid == sleeper.Process.Pid {
			found = true
			if p.start < me.start {
				t.Errorf("a child started at tick %d, before its parent's %d", p.start, me.start)
			}
		}
	}
	if !found {
		t.Errorf("the sleeping child %d is not listed", sleeper.Process.Pid)
	}
}

// EndEscaped, which bgtask calls as it exits, kills what a plugin started
// outside its process group (a daemon's setsid), which the group kill
// cannot reach, and names it.
func TestEndEscapedKillsWhatLeftTheGroup(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("needs sleep(1)")
	}
	// The instance's end would kill it first (the next test): this is the
	// sweep for what escaped after that.
	keepEscapedForTests.Store(true)
	defer keepEscapedForTests.Store(false)
	r := runPlugin(t, context.Background(), testPlugin("escape"), "Tasks.Escape", quick)
	r.want(t, OutcomeCompleted)
	m := regexp.MustCompile(`escaped pid (\d+)`).FindStringSubmatch(r.log)
	if m == nil {
		t.Fatalf("the plugin started no child; log:\n%s", r.log)
	}
	pid, _ := strconv.Atoi(m[1])
	if !processAlive(pid) {
		t.Fatalf("the escaped child %d is gone before EndEscaped: the test shows nothing", pid)
	}
	// The caller is told once, before the first kill (bgtask gives its
	// signals their default actions back there), and the process is alive
	// then.
	calls, aliveAtCall := 0, false
	killed := EndEscaped(func() { calls++; aliveAtCall = processAlive(pid) })
	if !slices.Contains(killed, pid) {
		t.Errorf("EndEscaped = %v, want it to name %d", killed, pid)
	}
	if calls != 1 || !aliveAtCall {
		t.Errorf("beforeKilling was called %d times (want 1), the process alive then: %v (want true)", calls, aliveAtCall)
	}
	assertProcessGone(t, pid)
	// Nothing escaped any more: nothing to kill, and no call.
	if killed := EndEscaped(func() { calls++ }); len(killed) != 0 || calls != 1 {
		t.Errorf("with nothing escaped, EndEscaped = %v and beforeKilling was called again: %d calls", killed, calls)
	}
}

// What left the plugin's group ends with the instance, as a Job Object's
// processes do on Windows, and the report says so. A child holding the
// plugin's stderr (`setsid sleep 300 &` in a shell plugin) used to live on
// until bgtask exited, and the host waited out two 2 s drains for it while
// reporting nothing killed.
func TestInstanceEndKillsWhatLeftTheGroup(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("needs sleep(1)")
	}
	start := time.Now()
	r := runPlugin(t, context.Background(), testPlugin("escape"), "Tasks.EscapeHoldingPipes", quick)
	took := time.Since(start)
	r.want(t, OutcomeCompleted)
	m := regexp.MustCompile(`escaped pid (\d+)`).FindStringSubmatch(r.log)
	if m == nil {
		t.Fatalf("the plugin started no child; log:\n%s", r.log)
	}
	pid, _ := strconv.Atoi(m[1])
	assertProcessGone(t, pid)
	if !r.res.LeftoverKilled || !slices.Contains(r.res.EscapedKilled, pid) {
		t.Errorf("LeftoverKilled %v, EscapedKilled %v; want true and %d", r.res.LeftoverKilled, r.res.EscapedKilled, pid)
	}
	if took > drainTimeout {
		t.Errorf("the run took %v: the host waited for the pipes the escaped child held", took)
	}
	if killed := EndEscaped(nil); len(killed) != 0 {
		t.Errorf("EndEscaped found %v after the instance's end", killed)
	}
}
