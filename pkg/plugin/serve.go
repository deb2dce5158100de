package plugin

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"
	"unicode/utf8"
)

// Task is a background task: Windows' IBackgroundTask.
type Task interface {
	Run(ctx context.Context, inst *Instance) error
}

// TaskFunc lets a function be a Task.
type TaskFunc func(ctx context.Context, inst *Instance) error

// Run calls f.
func (f TaskFunc) Run(ctx context.Context, inst *Instance) error { return f(ctx, inst) }

// sdkName identifies this SDK in the handshake.
const sdkName = "bgtask-go"

// Serve makes the program a task plugin providing tasks (entry point ->
// task): it speaks the protocol on stdin and stdout and exits when the host's
// request is done. Call it from main and nothing else.
//
// Task code's writes to os.Stdout go to stderr, the task's log, so a stray
// fmt.Println cannot break the protocol.
func Serve(tasks map[string]Task) {
	protocolOut := divertStdout()
	os.Exit(serve(context.Background(), os.Stdin, protocolOut, os.Stderr, tasks))
}

// ServeStreams is Serve for a program that embeds a plugin in a larger
// command line (bgtask serves its own example plugin this way): it speaks the
// protocol on in and out, writes its own diagnostics to logOut, and returns
// the exit status instead of exiting. It does not move os.Stdout aside, so
// task code must not print to it. Cancelling ctx cancels a running instance
// (reason Abort).
func ServeStreams(ctx context.Context, in io.Reader, out, logOut io.Writer, tasks map[string]Task) int {
	return serve(ctx, in, out, logOut, tasks)
}

// serve is Serve without the process: it returns the exit status.
func serve(ctx context.Context, in io.Reader, out, logOut io.Writer, tasks map[string]Task) int {
	logf := func(format string, a ...any) { fmt.Fprintf(logOut, format+"\n", a...) }
	enc := NewEncoder(out)
	entryPoints := sortedKeys(tasks)
	if err := enc.Send(&Handshake{Protocol: ProtocolVersion, EntryPoints: entryPoints, SDK: sdkName}); err != nil {
		logf("bgtask plugin: %v", err)
		return 1
	}
	// The goroutines running before the task, for the count of those it
	// leaves running (goroutinesLeft). Only this package's code runs from
	// here to Run, so taking it now, while the host answers the handshake
	// (or, for a process started ahead, while it waits for its instance),
	// takes it off the instance's time: it stops the world and formats
	// every goroutine's stack.
	before := goroutineIDs()
	dec := NewDecoder(in, MaxLineBytes)
	for {
		m, err := nextFromHost(dec, logf)
		switch {
		case errors.Is(err, io.EOF):
			return 0 // the host gave up before asking anything
		case err != nil:
			logf("bgtask plugin: reading from the host: %v", err)
			return 1
		}
		switch m := m.(type) {
		case *Describe:
			if err := enc.Send(&Description{EntryPoints: entryPoints}); err != nil {
				logf("bgtask plugin: %v", err)
				return 1
			}
			return 0
		case *Run:
			runInstance(ctx, dec, enc, logf, tasks, m, before)
			return 0
		default:
			logf("bgtask plugin: ignoring %s message before a request", m.Type())
		}
	}
}

func sortedKeys(tasks map[string]Task) []string {
	keys := make([]string, 0, len(tasks))
	for k := range tasks {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// runInstance runs one task instance to its completion message.
// before is the set of goroutines that ran before the request came.
func runInstance(ctx context.Context, dec *Decoder, enc *Encoder, logf func(string, ...any), tasks map[string]Task, run *Run, before map[uint64]bool) {
	inst := newInstance(*run, enc, logf)
	task, ok := tasks[run.Registration.EntryPoint]
	if !ok {
		inst.out.finish(&Completion{InstanceID: run.InstanceID, Error: fmt.Sprintf(
			"this plugin has no task for entry point %q; it provides: %s",
			run.Registration.EntryPoint, strings.Join(sortedKeys(tasks), ", "))})
		return
	}
	taskCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	go watchHost(dec, inst, cancel, logf)

	// Goroutines the task leaves running are those not in before;
	// watchHost is this package's own, and stays until the host has the
	// completion (idleStdlib leaves it out).
	err := callRun(taskCtx, task, inst, logf)
	if err != nil {
		// A failed instance is over at once; pending deferrals do not matter.
		inst.deferrals.close()
		inst.out.finish(&Completion{InstanceID: run.InstanceID, Error: errorText(err)})
		return
	}
	// Windows keeps the instance until every deferral is completed; work
	// still running then (none taken, or completed too early) is lost when
	// the process exits after this. Counted before the completion goes out:
	// the host then closes stdin, which ends watchHost and would hide one.
	tookDeferral := inst.deferrals.waitAndClose()
	leftRunning := goroutinesLeft(before)
	inst.out.finish(&Completion{InstanceID: run.InstanceID, Success: true})
	if leftRunning > 0 {
		reportForgottenDeferral(logf, leftRunning, tookDeferral)
	}
}

// goroutinesLeft is how many goroutines started since before (goroutineIDs)
// are still running and doing the task's work, given a moment to end:
// goroutines of the standard library that a synchronous Run leaves on their
// way out (os/exec's context watcher) end within microseconds, yet were
// counted as abandoned work when the count was read at once, and plugin
// check failed correct plugins. An HTTP client's idle keep-alive
// connection is not work either (idleStdlib). What outlives this is real.
func goroutinesLeft(before map[uint64]bool) int {
	deadline := time.Now().Add(goroutineSettle)
	for {
		left := 0
		for id, stack := range goroutineStacks() {
			if !before[id] && !idleStdlib(stack) {
				left++
			}
		}
		if left == 0 || time.Now().After(deadline) {
			return left
		}
		settleWaits.Add(1)
		time.Sleep(time.Millisecond)
	}
}

// idleStdlib reports whether a goroutine's stack is the standard library
// (or this package) waiting on its own: a keep-alive connection's reader or
// writer, an exec watcher for a command that has ended, the host's watcher.
func idleStdlib(stack string) bool {
	for _, f := range []string{
		"net/http.(*persistConn).readLoop", "net/http.(*persistConn).writeLoop",
		"net/http.(*http2ClientConn).readLoop", "os/exec.(*Cmd).watchCtx",
		// os/signal's receiver, started by the first Notify, which a
		// program embedding the plugin (ServeStreams) may make at any time.
		"os/signal.loop",
		// This package's own watcher of the host, started with the instance
		// (by its creator: one not yet running shows only a wrapper).
		"created by github.com/bgtask/bgtask/pkg/plugin.runInstance in ",
	} {
		if strings.Contains(stack, f) {
			return true
		}
	}
	return false
}

// goroutineIDs is the set of the goroutines now running.
func goroutineIDs() map[uint64]bool {
	ids := map[uint64]bool{}
	for id := range goroutineStacks() {
		ids[id] = true
	}
	return ids
}

// goroutineStacks is every goroutine's stack by its id, from
// runtime.Stack: "goroutine ID [state]:" then its frames, blank lines
// between goroutines.
func goroutineStacks() map[uint64]string {
	buf := make([]byte, 64<<10)
	for {
		n := runtime.Stack(buf, true)
		if n < len(buf) || len(buf) >= 16<<20 {
			buf = buf[:n]
			break
		}
		buf = make([]byte, 2*len(buf))
	}
	stacks := map[uint64]string{}
	for _, block := range strings.Split(string(buf), "\n\n") {
		rest, ok := strings.CutPrefix(block, "goroutine ")
		if !ok {
			continue
		}
		num, _, _ := strings.Cut(rest, " ")
		if id, err := strconv.ParseUint(num, 10, 64); err == nil {
			stacks[id] = block
		}
	}
	return stacks
}

// settleWaits counts goroutinesLeft's waits, for the tests.
var settleWaits atomic.Int64

// goroutineSettle bounds goroutinesLeft's wait. It is spent only when
// goroutines are left, before the warning and its linger.
const goroutineSettle = 20 * time.Millisecond

// lingerAfterForgottenDeferral is how long a plugin whose task left work
// running without a deferral stays alive after its completion, so that the
// work shows itself in the log before the exit ends it as Windows would.
const lingerAfterForgottenDeferral = 250 * time.Millisecond

// reportForgottenDeferral flags the commonest background task bug, async work
// without a deferral, which Windows punishes silently by suspending or
// killing the process as soon as Run returns (docs/protocol.md "Warnings").
func reportForgottenDeferral(logf func(string, ...any), goroutines int, tookDeferral bool) {
	if tookDeferral {
		// Complete called before the work was done (defer d.Complete() in
		// Run, with the work on a goroutine): lost just the same.
		logf("%swork continued after the task's deferrals were all completed (%d goroutine(s) started during Run were still running): "+
			"on Windows the process would have been suspended or killed here; Complete a deferral when its work is done, "+
			"in the goroutine that does it, not when Run returns", WarningPrefix, goroutines)
	} else {
		logf("%swork continued after Run returned without a deferral (%d goroutine(s) started during Run were still running): "+
			"on Windows the process would have been suspended or killed here; take inst.GetDeferral() for asynchronous work "+
			"and Complete it when the work is done", WarningPrefix, goroutines)
	}
	time.Sleep(lingerAfterForgottenDeferral)
}

// callRun runs the task, turning a panic into an error as Windows turns an
// unhandled exception into a failed instance.
func callRun(ctx context.Context, task Task, inst *Instance, logf func(string, ...any)) (err error) {
	returned := false
	defer func() {
		if v := recover(); v != nil {
			logf("panic in task %s: %v\n%s", inst.EntryPoint(), v, debug.Stack())
			err = fmt.Errorf("panic: %v", v)
			return
		}
		if !returned {
			// runtime.Goexit (a testing helper's FailNow, say): this
			// goroutine ends here and its caller never resumes, so the
			// instance fails now; it used to send no completion and run
			// to its time limit.
			inst.deferrals.close()
			inst.out.finish(&Completion{InstanceID: inst.run.InstanceID,
				Error: "Run called runtime.Goexit (t.FailNow or a helper that calls it?) instead of returning"})
		}
	}()
	err = task.Run(ctx, inst)
	returned = true
	if err != nil && err.Error() == "" {
		err = errors.New("the task returned an error with no text")
	}
	return err
}

// maxErrorBytes bounds the error text of a failed completion, so that an
// error carrying a whole response body still fits the 1 MiB protocol line
// (JSON escaping can multiply its size by six).
const maxErrorBytes = 64 << 10

// errorText is err's text, cut at a rune boundary to maxErrorBytes.
func errorText(err error) string {
	text := err.Error()
	if len(text) <= maxErrorBytes {
		return text
	}
	cut := maxErrorBytes
	for cut > 0 && !utf8.RuneStart(text[cut]) {
		cut--
	}
	return fmt.Sprintf("%s… [error text cut at %d bytes]", text[:cut], maxErrorBytes)
}

// nextFromHost returns the host's next message, passing over the lines
// docs/protocol.md tells a plugin to ignore: an unknown type (a later
// revision's notification) silently, a malformed line with a note in the log.
func nextFromHost(dec *Decoder, logf func(string, ...any)) (Message, error) {
	for {
		m, err := dec.Next()
		switch {
		case errors.Is(err, ErrUnknownType):
		case errors.Is(err, ErrMalformed):
			logf("bgtask plugin: ignoring a bad line from the host: %v", err)
		default:
			return m, err
		}
	}
}

// watchHost cancels the instance when the host sends cancel or goes away.
func watchHost(dec *Decoder, inst *Instance, cancel context.CancelFunc, logf func(string, ...any)) {
	for {
		m, err := nextFromHost(dec, logf)
		if err != nil {
			// The host closed stdin (it has what it needs, or it died).
			inst.setCancelReason(CancelAbort)
			cancel()
			return
		}
		c, ok := m.(*Cancel)
		if !ok || c.InstanceID != inst.InstanceID() {
			continue
		}
		reason, _ := ParseCancelReason(c.Reason) // unknown names mean Abort
		inst.setCancelReason(reason)
		cancel()
	}
}
