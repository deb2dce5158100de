package simulate

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// CheckStatus is the verdict of one conformance check.
type CheckStatus string

const (
	CheckPass CheckStatus = "pass"
	CheckFail CheckStatus = "fail"
	// CheckSkip: an earlier failure made the check meaningless.
	CheckSkip CheckStatus = "skip"
)

// Check is one conformance check and its verdict.
type Check struct {
	Name   string
	Status CheckStatus
	Detail string
}

// CheckReport is the result of CheckConformance.
type CheckReport struct {
	EntryPoint string // the entry point the runs used
	Checks     []Check
}

// Passed reports whether no check failed.
func (r *CheckReport) Passed() bool {
	return !slices.ContainsFunc(r.Checks, func(c Check) bool { return c.Status == CheckFail })
}

// SampleNotification is the raw notification the conformance run delivers.
func SampleNotification() *plugin.RawNotification {
	const payload = `{"message":"bgtask plugin check"}`
	return &plugin.RawNotification{Content: payload, ContentBytes: []byte(payload)}
}

// CheckConformance runs docs/protocol.md's conformance checks against p:
// handshake, describe, a run with a sample raw notification, and a run
// cancelled at once. entryPoint empty means the first one the plugin lists.
// The plugin's log goes to obs.Log.
func CheckConformance(ctx context.Context, p Plugin, entryPoint string, pol Policy, obs Observer) *CheckReport {
	pol = pol.withDefaults()
	rep := &CheckReport{EntryPoint: entryPoint}
	add := func(name string, ok bool, detail string, a ...any) bool {
		st := CheckFail
		if ok {
			st = CheckPass
		}
		rep.Checks = append(rep.Checks, Check{Name: name, Status: st, Detail: fmt.Sprintf(detail, a...)})
		return ok
	}
	const (
		cHandshake = "handshake"
		cDescribe  = "describe"
		cEntry     = "entry point"
		cRun       = "run a push notification"
		cExit      = "exit after completion"
		cLateWork  = "no work after completion"
		cCancel    = "cancel within the grace period"
		cLeftovers = "no leftover process seen"
	)
	// skipRest reports the checks not reached as skipped. Checks are added
	// in this order, so those not reached are the ones after len(rep.Checks).
	order := []string{cHandshake, cDescribe, cEntry, cRun, cExit, cLateWork, cCancel, cLeftovers}
	skipRest := func() *CheckReport {
		for _, n := range order[len(rep.Checks):] {
			rep.Checks = append(rep.Checks, Check{Name: n, Status: CheckSkip, Detail: "an earlier check failed"})
		}
		return rep
	}

	// Every process of these runs carries a marker, so that those which
	// leave the plugin's group can be found afterwards where the system
	// allows (killMarked).
	marker := uuid.NewString()
	p.Env = append(append([]string(nil), p.Env...), checkMarkerEnv+"="+marker)
	d, err := Describe(ctx, p, pol)
	if err != nil {
		pe, _ := err.(*PluginError)
		if pe == nil || !pe.AfterHandshake {
			add(cHandshake, false, "%v", err)
			return skipRest()
		}
		add(cHandshake, true, "protocol %d", plugin.ProtocolVersion)
		add(cDescribe, false, "%s", pe.Detail)
		return skipRest()
	}
	add(cHandshake, true, "protocol %d, sdk %s, entry points: %s", d.Protocol, orUnknown(d.SDK), listOrNone(d.HandshakeEntryPoints))
	if !add(cDescribe, sameSet(d.EntryPoints, d.HandshakeEntryPoints),
		"describe lists %s; handshake listed %s", listOrNone(d.EntryPoints), listOrNone(d.HandshakeEntryPoints)) {
		return skipRest()
	}

	if entryPoint == "" {
		if len(d.EntryPoints) == 0 {
			add(cEntry, false, "the plugin provides no entry point")
			return skipRest()
		}
		entryPoint = d.EntryPoints[0]
	}
	rep.EntryPoint = entryPoint
	if !slices.Contains(d.EntryPoints, entryPoint) {
		add(cEntry, false, "the plugin does not provide %q; it provides: %s (check --entry-point, and the spelling in the manifest)",
			entryPoint, listOrNone(d.EntryPoints))
		return skipRest()
	}
	add(cEntry, true, "%s", entryPoint)

	inv := Invocation{
		Registration: plugin.Registration{Name: "plugin-check", TaskID: uuid.NewString(), EntryPoint: entryPoint},
		Trigger:      plugin.Trigger{Kind: plugin.TriggerPush, Push: SampleNotification()},
	}
	res := RunInstance(ctx, p, inv, pol, obs)
	add(cRun, res.Outcome == OutcomeCompleted, "%s", describeResult(res))
	if res.CompletionReceived {
		add(cExit, !res.KilledAfterCompletion, "%s", orUnknown(res.ExitStatus))
		// A forgotten deferral: work that went on after the task completed,
		// which Windows would have suspended or killed.
		if len(res.Warnings) > 0 {
			add(cLateWork, false, "%s", strings.Join(res.Warnings, "; "))
		} else {
			add(cLateWork, true, "nothing was sent or logged after the completion")
		}
	} else {
		// Without a completion there is nothing to exit after; the run check
		// has already failed and says why.
		rep.Checks = append(rep.Checks,
			Check{Name: cExit, Status: CheckSkip, Detail: "the run sent no completion"},
			Check{Name: cLateWork, Status: CheckSkip, Detail: "the run sent no completion"})
	}
	// The host ends what left the group with the instance; what it missed
	// (a process started after its search) the check's marker finds.
	leftover, escaped := res.groupLeftover, res.EscapedKilled
	if ctx.Err() != nil {
		// The user stopped the check (Ctrl-C): what has not run is not a failure.
		rep.Checks = append(rep.Checks, Check{Name: cCancel, Status: CheckSkip, Detail: "interrupted"})
		escaped = append(escaped, killMarked(checkMarkerEnv, marker, nil, false)...)
		add(cLeftovers, !leftover && len(escaped) == 0, "%s", leftoverDetail(leftover, escaped))
		return rep
	}

	// A limit that passes at once: the cancel arrives with or right after run.
	cancelPol := pol
	cancelPol.Timeout = time.Nanosecond
	res = RunInstance(ctx, p, inv, cancelPol, obs)
	add(cCancel, res.Outcome == OutcomeCanceled || res.Outcome == OutcomeCompleted, "%s", describeResult(res))
	leftover = leftover || res.groupLeftover
	escaped = append(append(escaped, res.EscapedKilled...), killMarked(checkMarkerEnv, marker, nil, false)...)
	add(cLeftovers, !leftover && len(escaped) == 0, "%s", leftoverDetail(leftover, escaped))
	return rep
}

// checkMarkerEnv names the variable that marks the processes of a check's
// runs: children inherit it, also those that leave the plugin's process
// group (setsid), which the group kill cannot reach.
const checkMarkerEnv = "BGTASK_CHECK_RUN"

// leftoverDetail says what the check looked at, and what it could not see.
func leftoverDetail(leftover bool, escaped []int) string {
	var parts []string
	if leftover {
		parts = append(parts, "processes of the plugin's "+groupWord+" outlived it and were killed")
	}
	if len(escaped) > 0 {
		parts = append(parts, fmt.Sprintf("%d process(es) it started left its process group (setsid, a daemon) and outlived it; "+
			"found by their %s environment variable and killed: pids %v", len(escaped), checkMarkerEnv, escaped))
	}
	if len(parts) > 0 {
		return strings.Join(parts, "; ")
	}
	return "the plugin's " + groupWord + " was empty when it exited; " + unseen
}

// sameSet reports whether a and b hold the same names: docs/protocol.md asks
// describe for the handshake's entry points, not for their order.
func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// describeResult is a one-line account of a run for a check's detail.
func describeResult(r *Result) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s in %v", r.Outcome, r.WallTime.Round(time.Millisecond))
	if r.Canceled {
		fmt.Fprintf(&b, " (cancel: %s)", r.CancelReason)
	}
	if r.Error != "" {
		fmt.Fprintf(&b, ": %s", r.Error)
	}
	return b.String()
}
