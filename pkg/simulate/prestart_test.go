package simulate

import (
	"context"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/bgtask/bgtask/internal/shutdown"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// slowStart is a plugin that takes startUp before its handshake and as long
// again for its task: a process started for its instance spends startUp
// between the instance's start and its run message; one started ahead has
// spent it while the instance before it ran.
const startUp = 300 * time.Millisecond

func slowStartArgs(entryPoint string) []string {
	return []string{
		"LOG=early", "SLEEP=" + startUp.String(),
		`{"type":"handshake","protocol":1,"entry_points":["` + entryPoint + `"]}`,
		"READ", "SLEEP=" + startUp.String(),
		`{"type":"completion","instance_id":"$ID","success":true}`,
	}
}

func registerScripted(t *testing.T, registry, name, exe string, args []string) {
	t.Helper()
	tr, err := tasks.ParseTrigger("push")
	if err != nil {
		t.Fatal(err)
	}
	req := tasks.Request{Name: name, EntryPoint: "Tasks.Slow", Trigger: tr, Plugin: exe, PluginArgs: args}
	if _, err := tasks.Register(context.Background(), registry, req, tasks.RegisterOptions{}); err != nil {
		t.Fatal(err)
	}
}

// heldPID waits for the process the broker holds for the next instance to
// start and returns its pid; 0 when it holds none.
func heldPID(t *testing.T, b *Broker) int {
	t.Helper()
	b.warm.mu.Lock()
	w := b.warm.next
	b.warm.mu.Unlock()
	if w == nil {
		return 0
	}
	<-w.started
	if w.err != nil {
		t.Fatalf("the start ahead failed: %v", w.err)
	}
	return w.pr.cmd.Process.Pid
}

func pushOnce(t *testing.T, b *Broker, waiting bool) InstanceReport {
	t.Helper()
	opts := DeliveryOptions{Policy: quick, NextWaiting: func() bool { return waiting }}
	rep, err := b.Push(context.Background(), payload("p"), opts, DeliveryObserver{})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Instances) != 1 || rep.Instances[0].Result == nil || !rep.Instances[0].Result.Done() {
		t.Fatalf("want one completed instance, got %+v", rep.Instances)
	}
	return rep.Instances[0]
}

// slowBroker is a broker of one registration, Slow, on a slowStart plugin;
// it is closed when the test ends.
func slowBroker(t *testing.T) *Broker {
	t.Helper()
	registry := filepath.Join(t.TempDir(), "registry.json")
	registerScripted(t, registry, "Slow", testPlugin("scripted").Path, slowStartArgs("Tasks.Slow"))
	b := &Broker{RegistryPath: registry}
	t.Cleanup(func() { closeWithin(t, b) })
	return b
}

// closeWithin closes b, failing when that takes longer than a discarded
// process needs to exit (it gets end of file on stdin and exits at once).
func closeWithin(t *testing.T, b *Broker) {
	t.Helper()
	done := make(chan struct{})
	go func() { b.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(DefaultGrace + 5*time.Second):
		t.Fatal("Broker.Close did not return")
	}
}

// While deliveries wait (bgtask serve's queue), each instance after the
// first runs in a process started while the one before it ran: the plugin's
// own start-up time (its sleep before the handshake) is no longer between
// the instance's start and its run message. What the process wrote before
// its instance began reaches that instance's log.
func TestPrestartWhileDeliveriesWait(t *testing.T) {
	b := slowBroker(t)

	for i, waiting := range []bool{true, true, false} {
		in := pushOnce(t, b, waiting)
		res := in.Result
		untilRun := res.RunAt.Sub(in.StartedAt)
		if i == 0 {
			if res.Prestarted || untilRun < startUp {
				t.Errorf("first instance: prestarted %t, %v from its start to run, want a process of its own and at least %v", res.Prestarted, untilRun, startUp)
			}
		} else if !res.Prestarted || untilRun >= startUp-50*time.Millisecond {
			t.Errorf("instance %d: prestarted %t, %v from its start to run, want its process started ahead and less than %v",
				i+1, res.Prestarted, untilRun, startUp-50*time.Millisecond)
		}
		if strings.Join(res.Log, "|") != "early" {
			t.Errorf("instance %d: log %q, want the line its process wrote before its handshake", i+1, res.Log)
		}
		if res.WallTime >= 3*startUp {
			t.Errorf("instance %d: wall time %v counts more than the instance", i+1, res.WallTime)
		}
	}
	if pid := heldPID(t, b); pid != 0 {
		t.Errorf("with nothing waiting, the broker still holds process %d", pid)
	}
}

// Without NextWaiting (bgtask push, trigger) nothing is started ahead.
func TestNoPrestartWithoutAQueue(t *testing.T) {
	registry := filepath.Join(t.TempDir(), "registry.json")
	register(t, registry, "Noop", "Tasks.Noop", "push", "noop")
	b := &Broker{RegistryPath: registry}
	rep, err := b.Push(context.Background(), payload("p"), DeliveryOptions{Policy: quick}, DeliveryObserver{})
	if err != nil || !rep.AllCompleted() {
		t.Fatalf("push: %v %+v", err, rep)
	}
	if rep.Instances[0].Result.Prestarted {
		t.Error("an instance of bgtask push ran in a process started ahead")
	}
	if pid := heldPID(t, b); pid != 0 {
		t.Errorf("bgtask push left process %d started for a next instance", pid)
	}
}

// A process started ahead runs the executable as it was then: when the
// plugin is rebuilt before its instance comes, the instance starts the new
// one, and the old process ends.
func TestPrestartedProcessOfARebuiltPluginIsNotUsed(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows refuses to replace the executable of a running process, so a rebuild cannot happen under it")
	}
	dir := t.TempDir()
	exe := filepath.Join(dir, "plugin")
	copyFile(t, testPlugin("scripted").Path, exe)
	registry := filepath.Join(dir, "registry.json")
	registerScripted(t, registry, "Slow", exe, slowStartArgs("Tasks.Slow"))
	b := &Broker{RegistryPath: registry}
	defer closeWithin(t, b)

	pushOnce(t, b, true)
	old := heldPID(t, b)
	if old == 0 {
		t.Fatal("no process was started ahead while a delivery waited")
	}
	// As go build does: a new file renamed over the old.
	copyFile(t, testPlugin("scripted").Path, exe+".new")
	if err := os.Rename(exe+".new", exe); err != nil {
		t.Fatal(err)
	}
	in := pushOnce(t, b, false)
	if in.Result.Prestarted {
		t.Error("the instance ran in the process of the executable before the rebuild")
	}
	closeWithin(t, b)
	if processAlive(old) {
		t.Errorf("the process started ahead of the rebuild (pid %d) is still alive", old)
	}
}

// A process started ahead that died before its instance (killed by the
// user, say) is not used: the instance starts one of its own and completes.
func TestPrestartedProcessThatDiedIsReplaced(t *testing.T) {
	b := slowBroker(t)

	pushOnce(t, b, true)
	b.warm.mu.Lock()
	w := b.warm.next
	b.warm.mu.Unlock()
	if w == nil {
		t.Fatal("no process was started ahead while a delivery waited")
	}
	<-w.started
	if err := w.pr.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-w.pr.exited
	if in := pushOnce(t, b, false); in.Result.Prestarted {
		t.Error("the instance was given a process that had died")
	}
}

// When the delivery's context ends (serve stops) before the next instance
// comes, the process started for it ends too, and none is started after.
func TestPrestartedProcessEndsWithTheContext(t *testing.T) {
	b := &Broker{}
	ctx, cancel := context.WithCancel(context.Background())
	p := testPlugin("scripted")
	p.Args = slowStartArgs("Tasks.Slow")
	b.warm.start(ctx, p)
	pid := heldPID(t, b)
	if pid == 0 {
		t.Fatal("nothing was started")
	}
	cancel()
	// The context's end alone ends it (serve's shutdown cancels the
	// deliveries' context), without a Close.
	deadline := time.Now().Add(DefaultGrace)
	for processAlive(pid) && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	if processAlive(pid) {
		t.Errorf("process %d started ahead outlived the context", pid)
	}
	closeWithin(t, b)
	b.warm.start(ctx, p)
	if heldPID(t, b) != 0 {
		t.Error("a process was started ahead after the context ended")
	}
	if pr := b.warm.take(p); pr != nil {
		t.Error("take returned a process after the context ended")
	}
}

// EndPrestarted ends the process held for a next instance that will not
// come (serve's queue ran dry on a notification that expired, or that no
// task ran for: hostile review).
func TestEndPrestarted(t *testing.T) {
	b := &Broker{}
	p := testPlugin("scripted")
	p.Args = slowStartArgs("Tasks.Slow")
	b.warm.start(context.Background(), p)
	pid := heldPID(t, b)
	if pid == 0 {
		t.Fatal("nothing was started")
	}
	b.EndPrestarted()
	if heldPID(t, b) != 0 {
		t.Error("the broker still holds a process")
	}
	closeWithin(t, b)
	if processAlive(pid) {
		t.Errorf("process %d outlived EndPrestarted", pid)
	}
}

// A process started ahead that does not exit at the end of its stdin gets
// the grace period, unless the user asks bgtask a second time to stop: then
// it is killed at once, as a running instance is (hostile review: a second
// Ctrl-C to serve still waited 5 s for it).
func TestDiscardedProcessIsKilledAtOnceOnASecondStop(t *testing.T) {
	ctx, guard := shutdown.WithGuard(context.Background(), nil)
	b := &Broker{}
	p := testPlugin("scripted")
	p.Args = []string{"SLEEP"} // writes nothing, never reads its stdin
	b.warm.start(ctx, p)
	pid := heldPID(t, b)
	if pid == 0 {
		t.Fatal("nothing was started")
	}
	b.EndPrestarted()
	guard.Force()
	done := make(chan struct{})
	go func() { b.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(DefaultGrace / 2):
		t.Fatalf("Close waited on after a second stop (pid %d)", pid)
	}
	if processAlive(pid) {
		t.Errorf("process %d outlived a second stop", pid)
	}
}

// Within one delivery, the next push registration's process is started
// while the one before it runs, queue or not; nothing is held after the
// delivery when no other waits.
func TestPrestartWithinADelivery(t *testing.T) {
	registry := filepath.Join(t.TempDir(), "registry.json")
	registerScripted(t, registry, "First", testPlugin("scripted").Path, slowStartArgs("Tasks.Slow"))
	registerScripted(t, registry, "Second", testPlugin("scripted").Path, slowStartArgs("Tasks.Slow"))
	b := &Broker{RegistryPath: registry}
	defer closeWithin(t, b)
	opts := DeliveryOptions{Policy: quick, NextWaiting: func() bool { return false }}
	rep, err := b.Push(context.Background(), payload("p"), opts, DeliveryObserver{})
	if err != nil || len(rep.Instances) != 2 || !rep.AllCompleted() {
		t.Fatalf("push: %v %+v", err, rep)
	}
	if first, second := rep.Instances[0].Result, rep.Instances[1].Result; first.Prestarted || !second.Prestarted {
		t.Errorf("prestarted: first %t, second %t; want only the second", first.Prestarted, second.Prestarted)
	}
	if pid := heldPID(t, b); pid != 0 {
		t.Errorf("with nothing waiting, the broker still holds process %d", pid)
	}
}

// A process started ahead for one plugin does not serve an instance of
// another (the registration changed, or the next registration of the
// notification runs another executable, or the same with other
// arguments): that instance starts its own.
func TestPrestartedProcessOfAnotherPluginIsNotUsed(t *testing.T) {
	held := testPlugin("scripted")
	held.Args = slowStartArgs("Tasks.Slow")
	otherFile := held
	otherFile.Path = filepath.Join(t.TempDir(), filepath.Base(held.Path))
	copyFile(t, held.Path, otherFile.Path)
	otherArgs := held
	otherArgs.Args = append(slices.Clone(held.Args), "EXIT=0")
	for name, other := range map[string]Plugin{"another executable": otherFile, "other arguments": otherArgs} {
		b := &Broker{}
		b.warm.start(context.Background(), held)
		pid := heldPID(t, b)
		if pid == 0 {
			t.Fatal("nothing was started")
		}
		if pr := b.warm.take(other); pr != nil {
			t.Errorf("%s: an instance was given the process started for %v", name, held)
		}
		closeWithin(t, b)
		if processAlive(pid) {
			t.Errorf("%s: the process nobody took (pid %d) is still alive", name, pid)
		}
	}
}

// A build that writes a new file with the old one's time and size (a copy that
// keeps times, an archive unpacked) is another program; so is a file rewritten in
// place; os.SameFile alone, or the time and size alone, would each miss one.
func TestUnchangedFileNeedsTheSameFileTimeAndSize(t *testing.T) {
	dir := t.TempDir()
	stat := func(name string) os.FileInfo {
		t.Helper()
		info, err := os.Stat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		return info
	}
	write := func(name, content string) {
		t.Helper()
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	stamp := time.Date(2026, 12, 1, 12, 0, 0, 0, time.UTC)
	write("old", "build one")
	write("new", "build two")
	for _, name := range []string{"old", "new"} {
		if err := os.Chtimes(filepath.Join(dir, name), stamp, stamp); err != nil {
			t.Fatal(err)
		}
	}
	old := stat("old")
	if !unchangedFile(old, stat("old")) {
		t.Fatal("a file compared with itself, untouched, was called changed")
	}
	if unchangedFile(old, stat("new")) {
		t.Error("another file with the same time and size was called unchanged")
	}
	if unchangedFile(old, nil) || unchangedFile(nil, old) || unchangedFile(nil, nil) {
		t.Error("a file that cannot be found was called unchanged")
	}
	write("old", "build 1") // in place, same inode, shorter
	if err := os.Chtimes(filepath.Join(dir, "old"), stamp, stamp); err != nil {
		t.Fatal(err)
	}
	if unchangedFile(old, stat("old")) {
		t.Error("a file rewritten in place to another size was called unchanged")
	}
	shorter := stat("old")
	write("old", "build 3") // same size, the time of the write
	if unchangedFile(shorter, stat("old")) {
		t.Error("a file rewritten in place at another time was called unchanged")
	}
}

// A delivery queued while an instance runs, when none waited as it started
// (a burst whose second notification arrives a moment after the first),
// has its process started ahead once Waiting says so: before, only the
// third instance of such a burst and later ones were prestarted (a new
// user's report: 18 of 19 in a burst of 20).
func TestPrestartWhenADeliveryIsQueuedDuringTheInstance(t *testing.T) {
	b := slowBroker(t)

	var waiting atomic.Bool
	heldDuring := 0
	opts := DeliveryOptions{Policy: quick, NextWaiting: waiting.Load}
	obs := DeliveryObserver{LogLine: func(InstanceReport, string) {
		// The instance runs, and nothing waited when it started.
		if pid := heldPID(t, b); pid != 0 {
			t.Errorf("process %d started ahead with nothing waiting", pid)
		}
		waiting.Store(true)
		b.Waiting()
		heldDuring = heldPID(t, b)
	}}
	if _, err := b.Push(context.Background(), payload("first"), opts, obs); err != nil {
		t.Fatal(err)
	}
	if heldDuring == 0 {
		t.Fatal("no process was started ahead when a delivery was queued during the instance")
	}
	if in := pushOnce(t, b, false); !in.Result.Prestarted {
		t.Error("the second instance did not run in the process started ahead for it")
	}
	// Once the instance has ended, Waiting starts nothing: the delivery
	// queued then is the next one itself.
	waiting.Store(true)
	b.Waiting()
	if pid := heldPID(t, b); pid != 0 {
		t.Errorf("Waiting with no instance running started process %d", pid)
	}
}
