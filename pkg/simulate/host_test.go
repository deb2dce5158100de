package simulate

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// pluginDir holds the test plugins of testdata/plugins, built once per test
// binary by TestMain.
var pluginDir string

// prebuiltPluginsEnv names a folder that already holds the test plugins,
// built for the OS the tests run on. The Wine stage of CI (.ci/wine/run) sets
// it: under Wine there is no Windows Go toolchain to build them with.
const prebuiltPluginsEnv = "BGTASK_TEST_PLUGINS"

func TestMain(m *testing.M) {
	os.Exit(func() int {
		if dir := os.Getenv(prebuiltPluginsEnv); dir != "" {
			pluginDir = dir
			return m.Run()
		}
		dir, err := os.MkdirTemp("", "bgtask-plugins-")
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		defer os.RemoveAll(dir)
		build := exec.Command("go", "build", "-o", dir+string(filepath.Separator), "./testdata/plugins/...")
		build.Dir = filepath.Join("..", "..")
		if out, err := build.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "building test plugins: %v\n%s", err, out)
			return 1
		}
		pluginDir = dir
		return m.Run()
	}())
}

func testPlugin(name string) Plugin {
	return Plugin{Path: filepath.Join(pluginDir, name+exeSuffix())}
}

func exeSuffix() string {
	if filepath.Separator == '\\' {
		return ".exe"
	}
	return ""
}

// quick is a policy for plugins that behave: limits far above what they need.
var quick = Policy{Timeout: 5 * time.Second, Grace: time.Second, HandshakeTimeout: 5 * time.Second}

// strict is a policy for plugins that hang: short limits, so tests stay fast.
var strict = Policy{Timeout: 300 * time.Millisecond, Grace: 300 * time.Millisecond, HandshakeTimeout: 5 * time.Second}

type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

type run struct {
	res      *Result
	log      string
	progress []uint32
	elapsed  time.Duration
}

func pushInvocation(entryPoint, payload string) Invocation {
	return Invocation{
		Registration: plugin.Registration{Name: "test-task", TaskID: "00000000-0000-0000-0000-000000000001", EntryPoint: entryPoint},
		Trigger: plugin.Trigger{Kind: plugin.TriggerPush, Push: &plugin.RawNotification{
			Content: payload, ContentBytes: []byte(payload), Headers: map[string]string{"X-Test": "1"},
		}},
	}
}

func runPlugin(t *testing.T, ctx context.Context, p Plugin, entryPoint string, pol Policy) run {
	t.Helper()
	return runPluginLogging(t, ctx, p, entryPoint, pol, nil)
}

// runPluginLogging is runPlugin with onLog called after each write of the
// plugin's log, for tests that act once the task is running.
func runPluginLogging(t *testing.T, ctx context.Context, p Plugin, entryPoint string, pol Policy, onLog func()) run {
	t.Helper()
	var log lockedBuffer
	var progress []uint32
	start := time.Now()
	var logTo io.Writer = &log
	if onLog != nil {
		logTo = notifyWriter{&log, onLog}
	}
	res := RunInstance(ctx, p, pushInvocation(entryPoint, "hello"), pol, Observer{
		Log:      logTo,
		Progress: func(p uint32) { progress = append(progress, p) },
	})
	r := run{res: res, log: log.String(), progress: progress, elapsed: time.Since(start)}
	t.Logf("outcome %s (%s) in %v, exit %q, cpu %v+%v", res.Outcome, res.Error, r.elapsed, res.ExitStatus, res.UserTime, res.SystemTime)
	if res.PID != 0 {
		assertGroupGone(t, res.PID)
	}
	return r
}

type notifyWriter struct {
	w      io.Writer
	notify func()
}

func (n notifyWriter) Write(p []byte) (int, error) {
	defer n.notify()
	return n.w.Write(p)
}

func (r run) want(t *testing.T, o Outcome) {
	t.Helper()
	if r.res.Outcome != o {
		t.Fatalf("outcome = %s (%s), want %s; log:\n%s", r.res.Outcome, r.res.Error, o, r.log)
	}
}

func (r run) within(t *testing.T, lo, hi time.Duration) {
	t.Helper()
	if r.elapsed < lo || r.elapsed > hi {
		t.Errorf("took %v, want between %v and %v", r.elapsed, lo, hi)
	}
}

func TestRunNoopCompletes(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("noop"), "Tasks.Noop", quick)
	r.want(t, OutcomeCompleted)
	r.within(t, 0, 5*time.Second)
	if r.res.ExitCode != 0 || r.res.Error != "" || r.res.Canceled {
		t.Errorf("result = %+v", r.res)
	}
	// CPU time comes from wait4's rusage on Linux; other systems may round it to zero.
	if (runtime.GOOS == "linux" && r.res.UserTime+r.res.SystemTime <= 0) || r.res.WallTime <= 0 {
		t.Errorf("no CPU or wall time recorded: %+v", r.res)
	}
}

func TestRunCrashIsFailed(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("crash"), "Tasks.Crash", quick)
	r.want(t, OutcomeFailed)
	if r.res.ExitCode != 3 || !strings.Contains(r.res.Error, "exit status 3") || !strings.Contains(r.res.Error, "about to crash") {
		t.Errorf("exit %d, error %q", r.res.ExitCode, r.res.Error)
	}
	if !strings.Contains(r.log, "test-task: about to crash") {
		t.Errorf("log not prefixed with the task name: %q", r.log)
	}
}

// windows-facts.md §4: CheckResult throws when the task reported an error; an
// unhandled exception in Run is such an error.
func TestRunPanicInRunIsFailedWithText(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("panic"), "Tasks.Panic", quick)
	r.want(t, OutcomeFailed)
	if !strings.Contains(r.res.Error, "panic: assignment to entry in nil map") {
		t.Errorf("error = %q", r.res.Error)
	}
	if r.res.ExitCode != 0 {
		t.Errorf("the SDK reported the failure, yet exit code %d", r.res.ExitCode)
	}
}

func TestRunPanicInGoroutineIsFailed(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("panic"), "Tasks.GoroutinePanic", quick)
	r.want(t, OutcomeFailed)
	// The hint quotes the panic, not the last line of its stack trace.
	if r.res.ExitCode != 2 || !strings.Contains(r.res.Error, "before reporting completion") ||
		!strings.Contains(r.res.Error, `log says: "panic: unrecoverable"`) {
		t.Errorf("exit %d, error %q", r.res.ExitCode, r.res.Error)
	}
}

// A goroutine holding a deferral that panics, with the deferral's Complete
// deferred: the instance failed, every time (the deferred Complete used to
// let the SDK report it completed, in about one run of four, some with exit
// status 0 and no log).
func TestRunPanicUnderDeferralIsFailedEveryTime(t *testing.T) {
	for i := range 8 {
		r := runPlugin(t, context.Background(), testPlugin("panic"), "Tasks.DeferralPanic", quick)
		if r.res.Outcome != OutcomeFailed || r.res.ExitCode != 2 ||
			!strings.Contains(r.res.Error, "panic in a goroutine holding deferral 1: assignment to entry in nil map") {
			t.Fatalf("run %d: outcome %s, exit %d, error %q, log %q", i, r.res.Outcome, r.res.ExitCode, r.res.Error, r.res.Log)
		}
	}
}

// runtime.Goexit in Run fails the instance at once, with a completion that
// says so: it sent none, and the instance ran to its time limit.
func TestRunGoexitIsFailed(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("panic"), "Tasks.Goexit", quick)
	r.want(t, OutcomeFailed)
	if !strings.Contains(r.res.Error, "Run called runtime.Goexit") || !r.res.CompletionReceived {
		t.Errorf("error %q, completion received %v", r.res.Error, r.res.CompletionReceived)
	}
	if r.res.Canceled {
		t.Error("the instance ran to its time limit")
	}
}

func TestRunExitBeforeHandshakeIsNotStarted(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("nohandshake"), "Tasks.Any", quick)
	r.want(t, OutcomeNotStarted)
	if !strings.Contains(r.res.Error, "before its handshake") || !strings.Contains(r.res.Error, "config.json not found") {
		t.Errorf("error = %q", r.res.Error)
	}
}

func TestRunNoHandshakeWithinDeadlineIsNotStarted(t *testing.T) {
	pol := strict
	pol.HandshakeTimeout = 500 * time.Millisecond
	r := runPlugin(t, context.Background(), testPlugin("mute"), "Tasks.Any", pol)
	r.want(t, OutcomeNotStarted)
	r.within(t, 500*time.Millisecond, 5*time.Second)
	if !strings.Contains(r.res.Error, "no handshake") || !strings.Contains(r.res.Error, "as soon as it starts") {
		t.Errorf("error = %q", r.res.Error)
	}
}

func TestRunMissingExecutableIsNotStarted(t *testing.T) {
	r := runPlugin(t, context.Background(), Plugin{Path: filepath.Join(t.TempDir(), "absent")}, "Tasks.Any", quick)
	r.want(t, OutcomeNotStarted)
	if !strings.Contains(r.res.Error, "absent") {
		t.Errorf("error = %q", r.res.Error)
	}
}

func TestRunEntryPointNotProvidedIsNotStarted(t *testing.T) {
	// windows-facts.md §7: an entry point that does not match the class is the
	// classic mistake; the task never runs.
	r := runPlugin(t, context.Background(), testPlugin("deferral"), "Task.Deferred", quick)
	r.want(t, OutcomeNotStarted)
	if !strings.Contains(r.res.Error, `"Task.Deferred"`) || !strings.Contains(r.res.Error, "Tasks.Deferred, Tasks.Lost") {
		t.Errorf("error = %q", r.res.Error)
	}
	r.within(t, 0, quick.Grace+3*time.Second)
}

// windows-facts.md §4: the wall-clock limit cancels with ExecutionTimeExceeded,
// and a task that does not stop within the 5 s grace (here shortened) is killed.
func TestRunHangIsTerminated(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("hang"), "Tasks.Hang", strict)
	r.want(t, OutcomeTerminated)
	r.within(t, strict.Timeout+strict.Grace, strict.Timeout+strict.Grace+5*time.Second)
	if !r.res.Canceled || r.res.CancelReason != plugin.CancelExecutionTimeExceeded {
		t.Errorf("cancel = %v %v", r.res.Canceled, r.res.CancelReason)
	}
	if runtime.GOOS != "windows" && r.res.ExitStatus != "signal: killed" { // a Job Object kill is an exit code there
		t.Errorf("exit status %q", r.res.ExitStatus)
	}
}

func TestRunIgnoreCancelIsTerminated(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("cancel"), "Tasks.IgnoreCancel", strict)
	r.want(t, OutcomeTerminated)
	r.within(t, strict.Timeout+strict.Grace, strict.Timeout+strict.Grace+5*time.Second)
	if !strings.Contains(r.log, "canceled: ExecutionTimeExceeded - ignoring it") {
		t.Errorf("log = %q", r.log)
	}
}

func TestRunCooperativeCancelIsCanceled(t *testing.T) {
	pol := strict
	pol.Grace = 5 * time.Second // the plugin stops at once; the grace must not be waited out
	r := runPlugin(t, context.Background(), testPlugin("cancel"), "Tasks.Cooperative", pol)
	r.want(t, OutcomeCanceled)
	r.within(t, pol.Timeout, pol.Timeout+3*time.Second)
	if !strings.Contains(r.log, "canceled: ExecutionTimeExceeded") {
		t.Errorf("log = %q", r.log)
	}
}

// windows-facts.md §3: cancelling running instances (Unregister(true), or
// here the user's Ctrl-C) delivers reason Abort.
func TestRunCallerCancelIsAbort(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Cancel once the task runs (its first log line), however long the
	// plugin took to start.
	r := runPluginLogging(t, ctx, testPlugin("cancel"), "Tasks.Cooperative", quick, cancel)
	r.want(t, OutcomeCanceled)
	if r.res.CancelReason != plugin.CancelAbort || !strings.Contains(r.log, "canceled: Abort") {
		t.Errorf("reason %v, log %q", r.res.CancelReason, r.log)
	}
	r.within(t, 0, 3*time.Second)
}

func TestRunCallerCancelThenKill(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pol := quick
	pol.Grace = 300 * time.Millisecond
	// Cancel once the task runs (its first log line), however long the
	// plugin took to start; the kill must wait out the grace period.
	var canceledAt time.Time
	var once sync.Once
	r := runPluginLogging(t, ctx, testPlugin("cancel"), "Tasks.IgnoreCancel", pol, func() {
		once.Do(func() { canceledAt = time.Now(); cancel() })
	})
	r.want(t, OutcomeTerminated)
	if d := time.Since(canceledAt); d < pol.Grace || d > 5*time.Second {
		t.Errorf("killed %v after the cancel, want between the %v grace period and 5s", d, pol.Grace)
	}
}

func TestRunFloodIsBounded(t *testing.T) {
	pol := quick
	pol.Timeout = 20 * time.Second
	pol.LogLines, pol.LogTail = 100, 10
	r := runPlugin(t, context.Background(), testPlugin("flood"), "Tasks.Flood", pol)
	r.want(t, OutcomeCompleted)
	if got := strings.Count(r.log, "\n"); got != pol.LogLines+1 {
		t.Errorf("log shown: %d lines, want %d and a notice", got, pol.LogLines)
	}
	if !strings.Contains(r.log, "test-task: printed to stdout by task code") {
		t.Error("task code's stdout did not reach the log")
	}
	if runtime.GOOS != "windows" && !strings.Contains(r.log, "test-task: written to a stdout captured before Serve") {
		t.Error("a stdout captured before Serve did not reach the log")
	}
	if len(r.res.Log) != pol.LogTail || r.res.Log[len(r.res.Log)-1] != "last line" {
		t.Errorf("tail = %d lines ending %q", len(r.res.Log), r.res.Log[len(r.res.Log)-1])
	}
	cut := r.res.Log[len(r.res.Log)-2]
	if !strings.HasSuffix(cut, "[line cut]") || len(cut) > maxLogLineBytes+20 {
		t.Errorf("the 1 MB line was kept as %d bytes", len(cut))
	}
	if r.res.LogLinesDropped < 99_900 || r.res.Progress != 100 || len(r.progress) != 10_001 {
		t.Errorf("dropped %d, progress %d after %d reports", r.res.LogLinesDropped, r.res.Progress, len(r.progress))
	}
}

func TestRunEndlessStdoutLineIsProtocolError(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("floodstdout"), "Tasks.Flood", quick)
	r.want(t, OutcomeProtocolError)
	if !strings.Contains(r.res.Error, "too long") || !strings.Contains(r.res.Error, "at most 1 MiB") {
		t.Errorf("error = %q", r.res.Error)
	}
	r.within(t, 0, 5*time.Second)
}

func TestRunGarbageIsProtocolError(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("garbage"), "Tasks.Garbage", quick)
	r.want(t, OutcomeProtocolError)
	if !strings.Contains(r.res.Error, "Processing notification") || !strings.Contains(r.res.Error, "logs to stderr") {
		t.Errorf("error = %q", r.res.Error)
	}
	r.within(t, 0, 3*time.Second)
}

func TestRunChildHoldingPipesIsKilled(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("needs sleep(1)")
	}
	r := runPlugin(t, context.Background(), testPlugin("orphan"), "Tasks.Orphan", quick)
	r.want(t, OutcomeCompleted)
	r.within(t, 0, 5*time.Second) // not the child's 300 s
	if !r.res.LeftoverKilled {
		t.Error("LeftoverKilled not reported")
	}
	m := regexp.MustCompile(`child pid (\d+)`).FindStringSubmatch(r.log)
	if m == nil {
		t.Fatalf("no child pid in log %q", r.log)
	}
	pid, _ := strconv.Atoi(m[1])
	assertProcessGone(t, pid)
}

// windows-facts.md §4: with a deferral the instance lives until Complete.
func TestRunDeferralKeepsInstanceAlive(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("deferral"), "Tasks.Deferred", quick)
	r.want(t, OutcomeCompleted)
	r.within(t, 300*time.Millisecond, 5*time.Second)
	if !strings.Contains(r.log, "work done") || r.res.Progress != 100 || r.res.DeferralsTaken != 1 || r.res.DeferralsPending != 0 {
		t.Errorf("result %+v, log %q", r.res, r.log)
	}
	if fmt.Sprint(r.progress) != "[10 100]" {
		t.Errorf("progress reports %v", r.progress)
	}
}

// windows-facts.md §4 and §7: without a deferral the task is killed as soon as
// Run returns; its async work is lost.
func TestRunWorkWithoutDeferralIsLost(t *testing.T) {
	r := runPlugin(t, context.Background(), testPlugin("deferral"), "Tasks.Lost", quick)
	r.want(t, OutcomeCompleted)
	if strings.Contains(r.log, "work done") || r.res.Progress != 0 || r.res.DeferralsTaken != 0 {
		t.Errorf("the undeferred work ran: result %+v, log %q", r.res, r.log)
	}
	// The SDK saw the goroutine Run left running and flagged it; the host
	// reports it as the instance's warning (docs/protocol.md "Warnings").
	if len(r.res.Warnings) != 1 || !strings.HasPrefix(r.res.Warnings[0], "work continued after Run returned without a deferral (1 goroutine(s)") {
		t.Errorf("warnings = %q, want the forgotten deferral", r.res.Warnings)
	}
}

func TestDescribe(t *testing.T) {
	d, err := Describe(context.Background(), testPlugin("deferral"), quick)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(d.EntryPoints) != "[Tasks.Deferred Tasks.Lost]" || d.SDK != "bgtask-go" || d.Protocol != 1 {
		t.Errorf("description = %+v", d)
	}
	for name, want := range map[string]Outcome{"garbage": OutcomeProtocolError, "nohandshake": OutcomeNotStarted} {
		_, err := Describe(context.Background(), testPlugin(name), quick)
		pe, ok := err.(*PluginError)
		if !ok || pe.Outcome != want {
			t.Errorf("%s: err = %v, want %s", name, err, want)
		}
	}
}

func TestRunCanceledContextNeverStarts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	r := runPlugin(t, ctx, testPlugin("noop"), "Tasks.Noop", quick)
	r.want(t, OutcomeNotStarted)
}

// Callers send log and progress to one stream (bgtask plugin run does); under
// -race this fails if the host calls the observer concurrently.
func TestObserverCallsAreSerialized(t *testing.T) {
	var out bytes.Buffer // deliberately not safe for concurrent use
	res := RunInstance(context.Background(), testPlugin("deferral"), pushInvocation("Tasks.Deferred", "x"), quick, Observer{
		Log:      &out,
		Progress: func(p uint32) { fmt.Fprintf(&out, "progress %d\n", p) },
	})
	if res.Outcome != OutcomeCompleted || !strings.Contains(out.String(), "progress 100") || !strings.Contains(out.String(), "work done") {
		t.Fatalf("outcome %s, output %q", res.Outcome, out.String())
	}
}

func TestRunIncompleteInvocationIsNotStarted(t *testing.T) {
	inv := pushInvocation("", "x")
	res := RunInstance(context.Background(), testPlugin("noop"), inv, quick, Observer{})
	if res.Outcome != OutcomeNotStarted || res.PID != 0 || !strings.Contains(res.Error, "entry point") {
		t.Fatalf("result = %+v", res)
	}
}

// The host keeps its own side of docs/protocol.md: a run line over 1 MiB
// would make a conforming plugin exit and the instance look failed by the
// task's fault.
func TestRunOversizedRunMessageIsNotStarted(t *testing.T) {
	inv := pushInvocation("Tasks.Noop", strings.Repeat("x", 800<<10)) // as text and as base64: over 1 MiB
	res := RunInstance(context.Background(), testPlugin("noop"), inv, quick, Observer{})
	if res.Outcome != OutcomeNotStarted || res.PID != 0 || !strings.Contains(res.Error, "line limit") {
		t.Fatalf("result = %s, pid %d: %s", res.Outcome, res.PID, res.Error)
	}
}

// A plugin that overruns its time with a child in its group is killed with
// the child by the host (windows-facts.md §4: a task that does not exit
// within the grace period after its cancel is terminated). The child dies of the host's
// kill; the plugin did not leave it behind, which LeftoverKilled reports
// and `plugin check` fails a plugin for. SIGKILL lands asynchronously, so
// the cleanup used to see the dying child now and then: several runs.
func TestRunKilledWithChildIsNoLeftover(t *testing.T) {
	if _, err := exec.LookPath("sleep"); err != nil {
		t.Skip("needs sleep(1)")
	}
	p := testPlugin("orphan")
	p.Args = []string{"hang"}
	pol := Policy{Timeout: 200 * time.Millisecond, Grace: 200 * time.Millisecond, HandshakeTimeout: 5 * time.Second}
	for i := 0; i < 5; i++ {
		r := runPlugin(t, context.Background(), p, "Tasks.Orphan", pol)
		if r.res.KilledAt.IsZero() {
			t.Fatalf("run %d: the host did not kill the plugin; outcome %s, log:\n%s", i, r.res.Outcome, r.log)
		}
		if r.res.LeftoverKilled {
			t.Fatalf("run %d: the child the host killed with the plugin was reported as left behind; log:\n%s", i, r.log)
		}
		m := regexp.MustCompile(`child pid (\d+)`).FindStringSubmatch(r.log)
		if m == nil {
			t.Fatalf("run %d: no child pid in log %q", i, r.log)
		}
		pid, _ := strconv.Atoi(m[1])
		assertProcessGone(t, pid)
	}
}

// The Go SDK tells abandoned work from the standard library's goroutines: a
// synchronous exec leaves its context watcher exiting, and an HTTP GET
// leaves an idle keep-alive connection; neither is a forgotten deferral
// (plugin check failed such correct plugins, 10 runs in 10). A deferral
// completed when Run returns while a goroutine still works loses that work
// as Windows would, and is flagged (it passed silently).
func TestSDKFlagsOnlyRealWorkAfterCompletion(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok") }))
	defer srv.Close()
	settle := testPlugin("settle")
	keepAlive := settle
	keepAlive.Args = []string{srv.URL}
	for _, tc := range []struct {
		p          Plugin
		entryPoint string
		warning    string
	}{
		{settle, "Tasks.SyncExec", ""},
		{keepAlive, "Tasks.KeepAlive", ""},
		{settle, "Tasks.EarlyComplete", "work continued after the task's deferrals were all completed (1 goroutine(s) started during Run were still running)"},
	} {
		for i := range 5 {
			r := runPlugin(t, context.Background(), tc.p, tc.entryPoint, quick)
			r.want(t, OutcomeCompleted)
			got := strings.Join(r.res.Warnings, "|")
			if (tc.warning == "") != (got == "") || !strings.Contains(got, tc.warning) {
				t.Fatalf("%s, run %d: warnings %q, want %q", tc.entryPoint, i, got, tc.warning)
			}
		}
	}
}
