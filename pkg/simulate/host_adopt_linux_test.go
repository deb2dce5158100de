package simulate

import (
	"context"
	"os"
	"os/exec"
	"regexp"
	"strconv"
	"sync"
	"syscall"
	"testing"
	"time"
)

// adoptChildEnv runs TestAdoptedOrphans' body in a process of its own:
// adopting orphans changes the whole process (it becomes a subreaper and
// reaps), which the other tests of this binary must not see.
const adoptChildEnv = "BGTASK_TEST_ADOPT_CHILD"

// With AdoptOrphans, the child a plugin started in a session of its own and
// left behind becomes bgtask's child when the plugin exits; it is reaped
// when it dies (no zombie piles up under a long serve); EndEscaped finds it
// by walking bgtask's own tree, not /proc's every process; and the reaper
// never takes a plugin's exit status from os/exec.
func TestAdoptedOrphans(t *testing.T) {
	if os.Getenv(adoptChildEnv) == "" {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAdoptedOrphans$", "-test.v")
		cmd.Env = append(os.Environ(), adoptChildEnv+"=1", prebuiltPluginsEnv+"="+pluginDir)
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("the adopting test process failed: %v\n%s", err, out)
		}
		t.Logf("%s", out)
		return
	}
	AdoptOrphans()
	self := os.Getpid()
	// Escaped children must outlive their instances to be adopted and
	// found by EndEscaped; the instance's end would kill them first.
	keepEscapedForTests.Store(true)

	escaped := func() int {
		t.Helper()
		var log lockedBuffer
		res := RunInstance(context.Background(), testPlugin("escape"), pushInvocation("Tasks.Escape", "x"), quick, Observer{Log: &log})
		if res.Outcome != OutcomeCompleted {
			t.Fatalf("escape: %s (%s)", res.Outcome, res.Error)
		}
		m := regexp.MustCompile(`escaped pid (\d+)`).FindStringSubmatch(log.String())
		if m == nil {
			t.Fatalf("the plugin started no child; log:\n%s", log.String())
		}
		pid, _ := strconv.Atoi(m[1])
		return pid
	}
	ppid := func(pid int) int {
		data, _ := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		fields := regexp.MustCompile(`\) \S (\d+) `).FindSubmatch(data)
		if fields == nil {
			return -1
		}
		n, _ := strconv.Atoi(string(fields[1]))
		return n
	}

	// Adopted, then reaped once it dies.
	pid := escaped()
	if got := ppid(pid); got != self {
		t.Errorf("the escaped child %d has parent %d, want this process %d (a subreaper)", pid, got, self)
	}
	_ = syscall.Kill(pid, syscall.SIGKILL)
	deadline := time.Now().Add(3 * time.Second)
	for {
		if _, err := os.Stat("/proc/" + strconv.Itoa(pid)); err != nil {
			break // reaped: not even a zombie is left
		}
		if time.Now().After(deadline) {
			t.Errorf("the adopted child %d was not reaped after it died", pid)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}

	// Found by the walk of this process's own tree, and killed.
	pid = escaped()
	if procs, ok := descendants(false); !ok {
		t.Error("descendants: the tree was not walked")
	} else if !containsPID(procs, pid) {
		t.Errorf("descendants %v lack the escaped child %d", procs, pid)
	}
	killed := EndEscaped(nil)
	if len(killed) != 1 || killed[0] != pid {
		t.Errorf("EndEscaped killed %v, want [%d]", killed, pid)
	}
	assertProcessGone(t, pid)

	// Plugins starting and exiting side by side while orphans are reaped:
	// each keeps its own exit status.
	var wg sync.WaitGroup
	for range 2 {
		wg.Go(func() {
			for range 100 {
				res := RunInstance(context.Background(), testPlugin("noop"), pushInvocation("Tasks.Noop", "x"), quick, Observer{})
				if res.Outcome != OutcomeCompleted || res.ExitStatus != "exit status 0" {
					t.Errorf("noop: %s, %q (%s)", res.Outcome, res.ExitStatus, res.Error)
				}
			}
		})
	}
	wg.Wait()

	// An instance's end finds what its plugin left outside its group while
	// another plugin runs (a process started ahead for the next instance),
	// without walking that plugin's tree, and leaves that plugin alone.
	keepEscapedForTests.Store(false)
	var warm prestarter
	warm.start(context.Background(), testPlugin("noop"))
	warm.mu.Lock()
	w := warm.next
	warm.mu.Unlock()
	<-w.started
	running := w.pr.cmd.Process.Pid
	// (Whether the walk without skipping sees it depends on the thread that
	// started it: only the main thread's children are read.)
	if procs, _ := descendants(true); containsPID(procs, running) {
		t.Errorf("descendants skipping running plugins %v hold %d", procs, running)
	}
	var log lockedBuffer
	res := RunInstance(context.Background(), testPlugin("escape"), pushInvocation("Tasks.Escape", "x"), quick, Observer{Log: &log})
	m := regexp.MustCompile(`escaped pid (\d+)`).FindStringSubmatch(log.String())
	if res.Outcome != OutcomeCompleted || m == nil {
		t.Fatalf("escape: %s (%s); log:\n%s", res.Outcome, res.Error, log.String())
	}
	if pid, _ := strconv.Atoi(m[1]); len(res.EscapedKilled) != 1 || res.EscapedKilled[0] != pid {
		t.Errorf("the instance's end killed %v, want its escaped child [%d]", res.EscapedKilled, pid)
	}
	if !processAlive(running) {
		t.Errorf("the plugin started ahead (%d) did not survive another instance's end", running)
	}
	warm.close()
	assertProcessGone(t, running)
}

func containsPID(procs []procEntry, pid int) bool {
	for _, p := range procs {
		if p.pid == pid {
			return true
		}
	}
	return false
}
