package simulate

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/bgtask/bgtask/internal/shutdown"
	"github.com/bgtask/bgtask/pkg/plugin"
)

// RunInstance runs one task instance in a new plugin process under pol and
// reports how it ended. Cancelling ctx cancels the instance with reason
// Abort and, after the grace period, kills it.
//
// It returns only once the plugin's process group is gone, and whatever the
// plugin does it returns within about HandshakeTimeout + Timeout + 2×Grace
// plus a few seconds. It never fails: every problem is an Outcome.
func RunInstance(ctx context.Context, p Plugin, inv Invocation, pol Policy, obs Observer) *Result {
	return runInstance(ctx, p, inv, pol, obs, nil, nil)
}

// runInstance is RunInstance taking its process from warm when warm holds
// one for p (the broker's prestarted process), then calling started, when
// not nil, once the instance has its process (the broker prestarts the
// next instance's then).
func runInstance(ctx context.Context, p Plugin, inv Invocation, pol Policy, obs Observer, warm *prestarter, started func()) *Result {
	if inv.InstanceID == "" {
		inv.InstanceID = uuid.NewString()
	}
	if inv.Registration.TaskID == "" {
		inv.Registration.TaskID = uuid.NewString()
	}
	prefix := inv.Registration.Name
	if prefix == "" {
		prefix = inv.Registration.EntryPoint
	}
	if inv.Registration.EntryPoint == "" || inv.Trigger.Kind == "" {
		// The plugin would reject such a run; say so before starting anything.
		return &Result{InstanceID: inv.InstanceID, Outcome: OutcomeNotStarted, ExitCode: -1,
			Error: "the invocation needs an entry point and a trigger kind"}
	}
	run := &plugin.Run{InstanceID: inv.InstanceID, Registration: inv.Registration, Trigger: inv.Trigger}
	if line, err := plugin.EncodeMessage(run); err != nil || len(line)-1 > plugin.MaxLineBytes {
		// A plugin must refuse such a line (docs/protocol.md), and would fail
		// the instance for the host's mistake.
		return &Result{InstanceID: inv.InstanceID, Outcome: OutcomeNotStarted, ExitCode: -1,
			Error: runTooLarge(len(line), err)}
	}
	s := &supervisor{ctx: ctx, pol: pol.withDefaults(), mode: modeRun, inv: inv, obs: obs, logPrefix: prefix,
		warm: warm, started: started}
	return s.run(p)
}

func runTooLarge(size int, err error) string {
	if err != nil {
		return fmt.Sprintf("the run message cannot be encoded: %v", err)
	}
	return fmt.Sprintf("the run message would be %d bytes, over the protocol's %d-byte line limit: "+
		"send a smaller notification (WNS refuses raw payloads over 5000 bytes)", size-1, plugin.MaxLineBytes)
}

type mode int

const (
	modeRun mode = iota
	modeDescribe
)

type phase int

const (
	awaitingHandshake phase = iota
	awaitingDescription
	running
	ending // completion received, or the instance will not run: waiting for exit
)

// supervisor is the state of one plugin process, driven from one goroutine.
type supervisor struct {
	ctx       context.Context
	pol       Policy
	mode      mode
	inv       Invocation
	obs       Observer
	logPrefix string
	// warm may hold a prestarted process for the plugin; started is told
	// once the instance has its process. Both may be nil.
	warm    *prestarter
	started func()

	pr       *process
	res      *Result
	out      *outbox
	progress func(uint32) // obs.Progress through out; nil without one
	phase    phase
	decided  bool // res.Outcome is final
	killed   bool
	// stdoutClosed: the plugin's stdout reached end of file while it ran on,
	// so nothing it did afterwards could reach the host.
	stdoutClosed bool

	deferralsSeen    map[uint64]bool
	deferralsPending map[uint64]bool
	handshake        *plugin.Handshake
	description      *plugin.Description

	// The timers of the current phase; nil channels never fire.
	handshakeC <-chan time.Time
	timeoutC   <-chan time.Time
	graceC     <-chan time.Time
	msgsC      <-chan readResult
	// cancelC is Invocation.Cancel; cpuC ticks while a CPU quota is watched.
	cancelC <-chan plugin.CancelReason
	// pendingCancel came through cancelC before the task ran.
	pendingCancel *plugin.CancelReason
	cpuC          <-chan time.Time
	// cpuUnreadable says why the CPU quota could only be checked at exit.
	cpuUnreadable error

	// completedAt is when a successful completion arrived; activity after
	// it is work Windows would not have let run (warnings()).
	completedAt time.Time
	// lateMessages counts the lines the plugin wrote on stdout after
	// completedAt; lateMessage describes the first.
	lateMessages int
	lateMessage  string
	logs         *logReader

	// tellCanceled and tellKilled are obs.Canceled and obs.Killed through out.
	tellCanceled func(plugin.CancelReason, time.Time)
	tellKilled   func(time.Time)
}

// cpuPollInterval is how often the CPU quota is checked: a tenth of a
// second overshoots a 2 s quota by at most 5%.
const cpuPollInterval = 100 * time.Millisecond

func (s *supervisor) run(p Plugin) *Result {
	s.res = &Result{InstanceID: s.inv.InstanceID, ExitCode: -1}
	s.deferralsSeen, s.deferralsPending = map[uint64]bool{}, map[uint64]bool{}
	// bgtask must not exit on a signal while the plugin runs: it would
	// outlive its limits. After the hold, the context says whether the
	// signal came first.
	release := shutdown.Hold(s.ctx)
	defer release()
	if err := s.ctx.Err(); err != nil {
		s.decide(OutcomeNotStarted, "canceled before the plugin was started")
		return s.res
	}
	var pr *process
	if s.warm != nil {
		pr = s.warm.take(p)
	}
	s.res.Prestarted = pr != nil
	if pr == nil {
		var err error
		if pr, err = startProcess(p); err != nil {
			s.decide(OutcomeNotStarted, "%v", err)
			return s.res
		}
	}
	if s.started != nil {
		s.started()
	}
	s.pr = pr
	s.res.PID = pr.cmd.Process.Pid
	if s.logPrefix == "" {
		s.logPrefix = filepath.Base(p.Path)
	}

	s.out = newOutbox()
	emit, progress := s.out.observer(s.obs)
	s.progress = progress
	s.tellCanceled, s.tellKilled = s.out.steps(s.obs)
	logs := newLogReader(s.logPrefix, emit, s.pol.LogLines, s.pol.LogTail)
	s.logs = logs
	msgs := make(chan readResult)
	stop := make(chan struct{})
	var readers sync.WaitGroup
	readers.Add(2)
	go func() { defer readers.Done(); logs.run(pr.stderr) }()
	go func() { defer readers.Done(); readMessages(pr, msgs, stop) }()
	s.msgsC = msgs

	handshake := time.NewTimer(s.pol.HandshakeTimeout)
	defer handshake.Stop()
	s.handshakeC = handshake.C
	s.cancelC = s.inv.Cancel
	if s.pol.CPUQuota > 0 {
		cpu := time.NewTicker(cpuPollInterval)
		defer cpu.Stop()
		s.cpuC = cpu.C
	}
	s.supervise()

	// The plugin has exited. Whatever is left of its group goes now, then
	// what it wrote before exiting (a completion racing its exit) is read.
	s.res.groupLeftover, s.res.EscapedKilled = pr.cleanup()
	s.res.LeftoverKilled = s.res.groupLeftover || len(s.res.EscapedKilled) > 0
	// A process that left the group may hold the pipes open: these waits
	// are bounded, and end at once when the user asks a second time (the
	// promise of a second Ctrl-C: nothing is waited for).
	forced := shutdown.Forced(s.ctx)
	drain := time.NewTimer(drainTimeout)
	defer drain.Stop()
	for s.msgsC != nil {
		select {
		case r := <-s.msgsC:
			s.onMessage(r)
		case <-drain.C:
			s.msgsC = nil
		case <-forced:
			s.msgsC = nil
		}
	}
	close(stop)
	drainReaders(pr, &readers, forced)

	pr.exitInfo(s.res)
	s.res.Log, s.res.LogLinesDropped = logs.lines(), logs.droppedLines()
	s.res.OutputDropped = s.out.finish(drainTimeout, forced)
	s.res.DeferralsTaken, s.res.DeferralsPending = len(s.deferralsSeen), len(s.deferralsPending)
	s.decideByExit(s.res.Log)
	s.res.Warnings = s.warnings()
	s.checkCPUAtExit()
	return s.res
}

// supervise reacts to the plugin and the clock until the plugin exits.
func (s *supervisor) supervise() {
	ctxDone := s.ctx.Done()
	forced := shutdown.Forced(s.ctx)
	for {
		select {
		case <-forced:
			// The user asked twice: no grace period this time.
			forced = nil
			s.decide(OutcomeTerminated, "killed at once: asked to stop a second time")
			s.kill()
		case r := <-s.msgsC:
			s.onMessage(r)
		case <-s.pr.exited:
			return
		case <-s.handshakeC:
			s.handshakeC = nil
			what, advice := "handshake", "a plugin writes its handshake on stdout, and flushes it, as soon as it starts"
			if s.phase == awaitingDescription {
				what, advice = "description", "a plugin answers describe at once, and flushes stdout"
			}
			s.decide(OutcomeNotStarted, "no %s from the plugin within %v: %s (docs/protocol.md)%s",
				what, s.pol.HandshakeTimeout, advice, s.closedStdoutNote())
			s.kill()
		case <-s.timeoutC:
			s.timeoutC = nil
			// windows-facts.md §4: most triggers get 30 s of wall-clock time.
			s.cancel(plugin.CancelExecutionTimeExceeded)
		case <-ctxDone:
			ctxDone = nil
			s.onCallerCancel()
		case <-s.graceC:
			s.graceC = nil
			s.onGraceOver()
		case reason, ok := <-s.cancelC:
			if !ok {
				s.cancelC = nil
				continue
			}
			s.cancel(reason)
		case <-s.cpuC:
			s.checkCPU()
		}
	}
}

// decide fixes the outcome; the first decision stands.
func (s *supervisor) decide(o Outcome, format string, a ...any) {
	if s.decided {
		return
	}
	s.decided = true
	s.res.Outcome = o
	if format != "" {
		s.res.Error = fmt.Sprintf(format, a...)
	}
}

func (s *supervisor) kill() {
	if s.killed {
		return
	}
	s.killed = true
	s.res.KilledAt = time.Now()
	s.tellKilled(s.res.KilledAt)
	s.handshakeC, s.timeoutC, s.graceC = nil, nil, nil
	s.pr.kill()
}

func (s *supervisor) protocolError(format string, a ...any) {
	s.decide(OutcomeProtocolError, format, a...)
	s.kill()
}

func (s *supervisor) startGrace() {
	if s.graceC == nil && !s.killed {
		s.graceC = time.After(s.pol.Grace)
	}
}

func (s *supervisor) cancel(reason plugin.CancelReason) {
	if s.res.Canceled || s.decided {
		return
	}
	if s.phase != running {
		// Asked for while the plugin starts: the task gets it once it runs
		// (startRun), as Windows cancels an instance it has activated.
		if s.phase < running && s.pendingCancel == nil {
			s.pendingCancel = &reason
		}
		return
	}
	s.res.Canceled, s.res.CancelReason, s.res.CanceledAt = true, reason, time.Now()
	s.tellCanceled(reason, s.res.CanceledAt)
	s.timeoutC = nil
	s.pr.input.send(&plugin.Cancel{InstanceID: s.inv.InstanceID, Reason: reason.String()})
	// windows-facts.md §4: a cancelled task must finish within 5 s.
	s.startGrace()
}

// checkCPU cancels a running instance over its CPU quota with reason
// SystemPolicy: the reason Windows gives for resource policy (the quota
// itself comes from secondary sources; docs/push.md "Policies").
func (s *supervisor) checkCPU() {
	if s.phase != running || s.decided || s.res.Canceled {
		return
	}
	used, err := s.pr.cpuTime()
	if err != nil {
		s.cpuC, s.cpuUnreadable = nil, err
		return
	}
	if used > s.pol.CPUQuota {
		s.res.CPUQuotaExceeded = true
		s.cancel(plugin.CancelSystemPolicy)
	}
}

// warnings lists what the instance did that Windows would not have allowed
// without failing it: activity after a successful completion (a forgotten
// deferral), an exit that did not come, and what the plugin itself flagged.
func (s *supervisor) warnings() []string {
	var w []string
	after := "work continued after the task completed (its deferrals were all completed)"
	if s.res.DeferralsTaken == 0 {
		after = "work continued after Run returned without a deferral"
	}
	const killed = ": on Windows the process would have been suspended or killed here"
	late, firstLate := s.logs.late()
	flagged := s.logs.flagged()
	if len(flagged) > 0 {
		late = 0 // the plugin said what went on, more precisely than its late lines do
	}
	switch {
	case s.lateMessages > 0:
		w = append(w, fmt.Sprintf("%s (it wrote %d line(s) on stdout afterwards, the first %s)%s", after, s.lateMessages, s.lateMessage, killed))
	case late > 0:
		w = append(w, fmt.Sprintf("%s (it wrote %d log line(s) afterwards, the first: %q)%s", after, late, firstLate, killed))
	case s.res.KilledAfterCompletion:
		w = append(w, fmt.Sprintf("%s (it did not exit within the %v grace period and was killed)%s", after, s.pol.Grace, killed))
	}
	return append(w, flagged...)
}

// checkCPUAtExit applies the quota to the CPU times the OS reports at exit,
// where they could not be read while the plugin ran.
func (s *supervisor) checkCPUAtExit() {
	if s.pol.CPUQuota <= 0 || s.res.CPUQuotaExceeded {
		return
	}
	if used := s.res.UserTime + s.res.SystemTime; used > s.pol.CPUQuota {
		s.res.CPUQuotaExceeded = true
		why := "it was checked only at exit"
		if s.cpuUnreadable != nil {
			why = fmt.Sprintf("it was checked only at exit (%v)", s.cpuUnreadable)
		}
		s.res.Warnings = append(s.res.Warnings, fmt.Sprintf(
			"used %v of CPU time, over the %v quota; Windows would have cancelled it with SystemPolicy, but %s",
			used.Round(time.Millisecond), s.pol.CPUQuota, why))
	}
}

func (s *supervisor) onCallerCancel() {
	switch s.phase {
	case awaitingHandshake:
		s.decide(OutcomeNotStarted, "canceled before the plugin's handshake")
		s.kill()
	case awaitingDescription:
		s.decide(OutcomeNotStarted, "canceled before the plugin answered describe")
		s.kill()
	case running:
		// windows-facts.md §3: cancelling running instances uses reason Abort.
		s.cancel(plugin.CancelAbort)
	}
}

func (s *supervisor) onGraceOver() {
	if s.decided {
		if s.phase == ending && s.res.Outcome != OutcomeNotStarted {
			s.res.KilledAfterCompletion = true
		}
	} else {
		s.decide(OutcomeTerminated, "did not finish within the %v grace period after cancel (%s)%s; killed",
			s.pol.Grace, s.res.CancelReason, s.closedStdoutNote())
	}
	s.kill()
}

// closedStdoutNote explains a silence the plugin made for itself.
func (s *supervisor) closedStdoutNote() string {
	if !s.stdoutClosed {
		return ""
	}
	return "; it had closed its stdout, so no message could reach the host"
}

// decideByExit settles the outcome of a plugin that exited on its own.
func (s *supervisor) decideByExit(log []string) {
	if s.decided {
		return
	}
	status := s.res.ExitStatus
	if status == "" {
		status = "unknown status"
	}
	hint, panicked := logHint(log)
	switch s.phase {
	case awaitingHandshake:
		s.decide(OutcomeNotStarted, "the plugin exited (%s) before its handshake%s", status, hint)
	case awaitingDescription:
		s.decide(OutcomeProtocolError, "the plugin exited (%s) without answering describe%s", status, hint)
	default:
		if s.res.Canceled {
			s.decide(OutcomeCanceled, "the plugin exited (%s) after cancel without reporting completion", status)
			return
		}
		advice := "a plugin sends completion before it exits, even after an error"
		if panicked {
			advice = "a panic outside Run's own goroutine kills the plugin: recover it there and pass the error on"
		}
		s.decide(OutcomeFailed, "the plugin exited (%s) before reporting completion%s; %s", status, hint, advice)
	}
}

// logHint quotes the log line most likely to say why a plugin died: a Go
// runtime panic's first line (its stack follows it, so the last line is
// only a file name), else the last line. panicked reports the former.
func logHint(log []string) (hint string, panicked bool) {
	for i := len(log) - 1; i >= 0; i-- {
		if strings.HasPrefix(log[i], "panic: ") || strings.HasPrefix(log[i], "fatal error: ") {
			return fmt.Sprintf("; its log says: %q", log[i]), true
		}
	}
	if len(log) > 0 {
		return fmt.Sprintf("; its last log line: %q", log[len(log)-1]), false
	}
	return "", false
}
