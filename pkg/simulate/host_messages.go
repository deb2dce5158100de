package simulate

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// The supervisor's reactions to what the plugin writes on stdout, phase by
// phase; every deviation from docs/protocol.md ends in protocolError.

// maxDeferrals bounds the deferral ids the host remembers for one instance
// (docs/protocol.md), so that no plugin can grow its memory without end.
const maxDeferrals = 10000

func (s *supervisor) onMessage(r readResult) {
	if r.err != nil {
		if !errors.Is(r.err, plugin.ErrMalformed) && !errors.Is(r.err, plugin.ErrUnknownType) {
			s.msgsC = nil // the reader has stopped
		}
		if errors.Is(r.err, io.EOF) {
			s.stdoutClosed = true
		}
		if !errors.Is(r.err, io.EOF) && s.decided && !s.completedAt.IsZero() {
			// Anything on stdout after a successful completion is work
			// Windows would not have let run, protocol or not.
			what := "not a protocol message"
			if errors.Is(r.err, plugin.ErrUnknownType) {
				what = fmt.Sprintf("of a type protocol version %d does not define", plugin.ProtocolVersion)
			}
			s.noteLate(what)
		}
		if errors.Is(r.err, io.EOF) || s.decided {
			return // a closed stdout decides nothing; after the outcome, stdout is ignored
		}
		hint := "stdout carries protocol messages only: task code logs to stderr"
		switch {
		case errors.Is(r.err, plugin.ErrUnknownType):
			hint = fmt.Sprintf("protocol version %d defines no such message", plugin.ProtocolVersion)
		case errors.Is(r.err, plugin.ErrLineTooLong):
			hint = "a message is one line of at most 1 MiB; task code logs to stderr"
		case errors.Is(r.err, plugin.ErrInvalidMessage):
			// A message of a known type: the plugin's protocol code is wrong,
			// not task code printing to stdout.
			s.protocolError("the plugin sent an invalid message: %v (docs/protocol.md lists each message's members and their types)", r.err)
			return
		}
		s.protocolError("the plugin wrote a bad line on stdout: %v (%s)", r.err, hint)
		return
	}
	if s.decided {
		if !s.completedAt.IsZero() {
			// A well-behaved plugin says nothing after its completion.
			s.noteLate("a " + r.msg.Type() + " message")
		}
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

// noteLate counts a line the plugin wrote on stdout after its successful
// completion; what describes the first, for the warning.
func (s *supervisor) noteLate(what string) {
	s.lateMessages++
	if s.lateMessage == "" {
		s.lateMessage = what
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
	s.res.RunAt = time.Now()
	s.timeoutC = time.After(s.pol.Timeout)
	if s.pendingCancel != nil {
		s.cancel(*s.pendingCancel)
	}
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
			if s.progress != nil {
				s.progress(m.Percent)
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
		if len(s.deferralsSeen) >= maxDeferrals {
			s.protocolError("the plugin took more than %d deferrals in one instance; "+
				"a task takes one per piece of asynchronous work and completes it (docs/protocol.md)", maxDeferrals)
			return
		}
		s.deferralsSeen[m.DeferralID], s.deferralsPending[m.DeferralID] = true, true
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
		s.res.CompletionReceived, s.res.CompletedAt = true, time.Now()
		switch {
		case s.res.Canceled:
			s.decide(OutcomeCanceled, "%s", m.Error)
		case m.Success:
			s.decide(OutcomeCompleted, "")
			s.completedAt = time.Now()
			s.logs.markCompleted(s.completedAt)
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
