package simulate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"time"

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
	if inv.InstanceID == "" {
		inv.InstanceID = newInstanceID()
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
	s := &supervisor{ctx: ctx, pol: pol.withDefaults(), mode: modeRun, inv: inv, obs: obs, logPrefix: prefix}
	return s.run(p)
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

	pr      *process
	res     *Result
	phase   phase
	decided bool // res.Outcome is final
	killed  bool

	deferralsSeen    map[uint64]bool
	deferralsPending map[uint64]bool
	handshake        *plugin.Handshake
	description      *plugin.Description

	// The timers of the current phase; nil channels never fire.
	handshakeC <-chan time.Time
	timeoutC   <-chan time.Time
	graceC     <-chan time.Time
	msgsC      <-chan readResult
}

func (s *supervisor) run(p Plugin) *Result {
	s.res = &Result{InstanceID: s.inv.InstanceID, ExitCode: -1}
	s.deferralsSeen, s.deferralsPending = map[uint64]bool{}, map[uint64]bool{}
	if err := s.ctx.Err(); err != nil {
		s.decide(OutcomeNotStarted, "canceled before the plugin was started")
		return s.res
	}
	pr, err := startProcess(p)
	if err != nil {
		s.decide(OutcomeNotStarted, "%v", err)
		return s.res
	}
	s.pr = pr
	s.res.PID = pr.cmd.Process.Pid
	if s.logPrefix == "" {
		s.logPrefix = filepath.Base(p.Path)
	}

	s.obs = s.obs.serialized()
	logs := newLogReader(s.logPrefix, s.obs.Log, s.pol.LogLines, s.pol.LogTail)
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
	s.supervise()

	// The plugin has exited. Whatever is left of its group goes now, then
	// what it wrote before exiting (a completion racing its exit) is read.
	s.res.LeftoverKilled = pr.cleanup()
	drain := time.NewTimer(drainTimeout)
	defer drain.Stop()
	for s.msgsC != nil {
		select {
		case r := <-s.msgsC:
			s.onMessage(r)
		case <-drain.C:
			s.msgsC = nil
		}
	}
	close(stop)
	drainReaders(pr, &readers)

	pr.exitInfo(s.res)
	s.res.Log, s.res.LogLinesDropped = logs.lines(), logs.droppedLines()
	s.res.DeferralsPending = len(s.deferralsPending)
	s.decideByExit(s.res.Log)
	return s.res
}

// supervise reacts to the plugin and the clock until the plugin exits.
func (s *supervisor) supervise() {
	ctxDone := s.ctx.Done()
	for {
		select {
		case r := <-s.msgsC:
			s.onMessage(r)
		case <-s.pr.exited:
			return
		case <-s.handshakeC:
			s.handshakeC = nil
			what := "handshake"
			if s.phase == awaitingDescription {
				what = "description"
			}
			s.decide(OutcomeNotStarted, "no %s from the plugin within %v", what, s.pol.HandshakeTimeout)
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
	if s.res.Canceled || s.phase != running || s.decided {
		return
	}
	s.res.Canceled, s.res.CancelReason = true, reason
	s.timeoutC = nil
	s.pr.input.send(&plugin.Cancel{InstanceID: s.inv.InstanceID, Reason: reason.String()})
	// windows-facts.md §4: a cancelled task must finish within 5 s.
	s.startGrace()
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
		s.decide(OutcomeTerminated, "did not finish within the %v grace period after cancel (%s); killed",
			s.pol.Grace, s.res.CancelReason)
	}
	s.kill()
}

func (s *supervisor) onMessage(r readResult) {
	if r.err != nil {
		if !errors.Is(r.err, plugin.ErrMalformed) && !errors.Is(r.err, plugin.ErrUnknownType) {
			s.msgsC = nil // the reader has stopped
		}
		if errors.Is(r.err, io.EOF) || s.decided {
			return // a closed stdout decides nothing; after the outcome, stdout is ignored
		}
		s.protocolError("the plugin wrote a bad line on stdout: %v", r.err)
		return
	}
	if s.decided {
		return
	}
	switch s.phase {
	case awaitingHandshake:
		s.onHandshake(r.msg)
	case awaitingDescription:
		d, ok := r.msg.(*plugin.Description)
		if !ok {
			s.protocolError("expected a description answering describe, got %s", r.msg.Type())
			return
		}
		s.description = d
		s.decide(OutcomeCompleted, "")
		s.finishRequest()
	case running:
		s.onRunMessage(r.msg)
	}
}

// finishRequest closes the plugin's stdin and gives it the grace period to exit.
func (s *supervisor) finishRequest() {
	s.phase = ending
	s.handshakeC, s.timeoutC = nil, nil
	s.pr.input.close()
	s.startGrace()
}

func (s *supervisor) onHandshake(m plugin.Message) {
	hs, ok := m.(*plugin.Handshake)
	if !ok {
		s.protocolError("the plugin's first message must be a handshake, got %s", m.Type())
		return
	}
	if hs.Protocol != plugin.ProtocolVersion {
		s.protocolError("the plugin speaks protocol version %d; this bgtask speaks version %d", hs.Protocol, plugin.ProtocolVersion)
		return
	}
	s.handshake = hs
	s.handshakeC = nil
	if s.mode == modeDescribe {
		s.phase = awaitingDescription
		s.handshakeC = time.After(s.pol.HandshakeTimeout)
		s.pr.input.send(&plugin.Describe{})
		return
	}
	ep := s.inv.Registration.EntryPoint
	if !slices.Contains(hs.EntryPoints, ep) {
		s.decide(OutcomeNotStarted, "the plugin does not provide entry point %q; it provides: %s", ep, listOrNone(hs.EntryPoints))
		s.finishRequest()
		return
	}
	run := &plugin.Run{InstanceID: s.inv.InstanceID, Registration: s.inv.Registration, Trigger: s.inv.Trigger}
	s.pr.input.send(run)
	s.phase = running
	s.timeoutC = time.After(s.pol.Timeout)
}

func listOrNone(names []string) string {
	if len(names) == 0 {
		return "(nothing)"
	}
	return strings.Join(names, ", ")
}

func (s *supervisor) onRunMessage(m plugin.Message) {
	switch m := m.(type) {
	case *plugin.Progress:
		if s.checkInstance(m.Type(), m.InstanceID) {
			s.res.Progress = m.Percent
			if s.obs.Progress != nil {
				s.obs.Progress(m.Percent)
			}
		}
	case *plugin.DeferralTaken:
		if !s.checkInstance(m.Type(), m.InstanceID) {
			return
		}
		if s.deferralsSeen[m.DeferralID] {
			s.protocolError("deferral %d was taken twice", m.DeferralID)
			return
		}
		s.deferralsSeen[m.DeferralID], s.deferralsPending[m.DeferralID] = true, true
		s.res.DeferralsTaken++
	case *plugin.DeferralCompleted:
		if !s.checkInstance(m.Type(), m.InstanceID) {
			return
		}
		if !s.deferralsPending[m.DeferralID] {
			s.protocolError("deferral %d was completed but is not pending (never taken, or completed twice)", m.DeferralID)
			return
		}
		delete(s.deferralsPending, m.DeferralID)
	case *plugin.Completion:
		if !s.checkInstance(m.Type(), m.InstanceID) {
			return
		}
		if m.Success && len(s.deferralsPending) > 0 {
			s.protocolError("the plugin reported success with %d deferral(s) still pending", len(s.deferralsPending))
			return
		}
		switch {
		case s.res.Canceled:
			s.decide(OutcomeCanceled, "%s", m.Error)
		case m.Success:
			s.decide(OutcomeCompleted, "")
		default:
			s.decide(OutcomeFailed, "%s", m.Error)
		}
		s.finishRequest()
	default:
		s.protocolError("unexpected %s message from the plugin during a run", m.Type())
	}
}

func (s *supervisor) checkInstance(typ, id string) bool {
	if id != s.inv.InstanceID {
		s.protocolError("%s message for instance %q; the running instance is %q", typ, id, s.inv.InstanceID)
		return false
	}
	return true
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
	hint := ""
	if len(log) > 0 {
		hint = fmt.Sprintf("; its last log line: %q", log[len(log)-1])
	}
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
		s.decide(OutcomeFailed, "the plugin exited (%s) before reporting completion%s", status, hint)
	}
}
