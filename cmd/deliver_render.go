package cmd

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vbauerster/mpb/v8"
	"github.com/vbauerster/mpb/v8/decor"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/simulate"
)

// liveView shows a delivery as it happens on standard error: a line per
// instance as it starts, its log lines, and its progress, as a live bar on a
// terminal and as plain lines elsewhere. The summary goes to standard output
// afterwards (writeDeliverySummary).
type liveView struct {
	g *Globals
	// mu orders the observer's calls with the log lines the host writes
	// from its log reader.
	mu       sync.Mutex
	progress *mpb.Progress // nil off a terminal
	bar      *mpb.Bar
	// status is the delivery's own line under the bars. It lives until
	// close, so the container keeps rendering, and lines written after the
	// last instance's bar has finished still reach the screen.
	status         *mpb.Bar
	started, ended atomic.Int32
	out            io.Writer // where lines go: the progress container or stderr
	// errOut is standard error behind a queue: the delivery never waits
	// for it.
	errOut *queuedWriter
}

func newLiveView(g *Globals) *liveView {
	errOut := newQueuedWriter(g.IO.ErrOut)
	v := &liveView{g: g, out: errOut, errOut: errOut}
	if g.IO.ErrTTY {
		// Bars only on a terminal: in a CI log they are noise. ErrOut is a
		// wrapper (cmd/output.go), so mpb cannot see the terminal itself:
		// ErrTTY already says it is one.
		v.progress = mpb.New(mpb.WithOutput(errOut), mpb.ForceTTY(), mpb.WithAutoRefresh(), mpb.WithWidth(32), mpb.WithRefreshRate(100*time.Millisecond))
		v.out = v.progress
		v.status = v.progress.New(0, mpb.NopStyle(), mpb.BarPriority(1<<30),
			mpb.PrependDecorators(decor.Any(func(decor.Statistics) string {
				return fmt.Sprintf("instances: %d started, %d ended", v.started.Load(), v.ended.Load())
			})))
	}
	return v
}

// observer wires the view to the broker.
func (v *liveView) observer() simulate.DeliveryObserver {
	pal := v.g.ErrPalette()
	return simulate.DeliveryObserver{
		Foreground: func(n simulate.Notification, canceled bool) {
			v.printf("%s PushNotificationReceived (NotificationType Raw, %d bytes) in the running app; Cancel = %t\n",
				pal.Cyan("app:"), len(n.Payload), canceled)
		},
		WaitingForApp: func(lockPath string) {
			v.printf("%s another bgtask is running a task of this app; Windows runs one raw-push task per app at a time, so this delivery waits for it (%s); Ctrl-C gives up\n",
				pal.Yellow("waiting:"), safetext.Escape(lockPath))
		},
		Waiting: func(in simulate.InstanceReport) {
			v.printf("%s %s: %s\n", pal.Yellow("waiting"), safetext.Escape(in.Registration.Name), unmetText(in))
		},
		Started: func(in simulate.InstanceReport) {
			v.mu.Lock()
			defer v.mu.Unlock()
			v.started.Add(1)
			fmt.Fprintf(v.out, "%s %s (%s, instance %s)\n", pal.Cyan("start"), safetext.Escape(in.Registration.Name),
				safetext.Escape(in.Registration.EntryPoint), in.InstanceID)
			if v.progress != nil {
				v.bar = v.progress.AddBar(100,
					mpb.PrependDecorators(decor.Name(safetext.Escape(in.Registration.Name)+" ", decor.WCSyncSpaceR)),
					mpb.AppendDecorators(decor.Percentage(decor.WCSyncSpace), decor.Elapsed(decor.ET_STYLE_GO, decor.WCSyncSpace)))
			}
		},
		Progress: func(in simulate.InstanceReport, percent uint32) {
			v.mu.Lock()
			defer v.mu.Unlock()
			if v.bar != nil {
				v.bar.SetCurrent(int64(percent))
				return
			}
			fmt.Fprintf(v.out, "%s: %s\n", safetext.Escape(in.Registration.Name), pal.Faint(fmt.Sprintf("progress %d%%", percent)))
		},
		Log: lockedLines{v},
		Ended: func(in simulate.InstanceReport) {
			v.mu.Lock()
			defer v.mu.Unlock()
			v.ended.Add(1)
			fmt.Fprintf(v.out, "%s %s: %s\n", pal.Cyan("end"), safetext.Escape(in.Registration.Name), outcomeText(pal, in))
			if v.bar != nil {
				// A bar that did not reach 100% is left where it stopped.
				v.bar.Abort(false)
				v.bar.Wait()
				v.bar = nil
			}
		},
	}
}

func (v *liveView) printf(format string, a ...any) {
	v.mu.Lock()
	defer v.mu.Unlock()
	fmt.Fprintf(v.out, format, a...)
}

// close stops the live output; everything written reaches the terminal,
// unless it stopped reading and ctx ends the wait (Ctrl-C).
func (v *liveView) close(ctx context.Context) {
	if v.progress != nil {
		// Its final render flushes every line written before it.
		v.status.Abort(true)
		v.progress.Wait()
	}
	v.errOut.close(ctx)
}

// lockedLines passes the host's log lines to the view under its lock.
type lockedLines struct{ v *liveView }

func (l lockedLines) Write(p []byte) (int, error) {
	l.v.mu.Lock()
	defer l.v.mu.Unlock()
	return l.v.out.Write(p)
}

func unmetText(in simulate.InstanceReport) string {
	names := make([]string, 0, len(in.Unmet))
	for _, c := range in.Unmet {
		names = append(names, c.String())
	}
	verb := "do not hold"
	if len(names) == 1 {
		verb = "does not hold"
	}
	return fmt.Sprintf("not started, waiting for its conditions (%s %s); Windows starts it when they do",
		strings.Join(names, ", "), verb)
}

func outcomeText(pal Palette, in simulate.InstanceReport) string {
	if in.Result == nil {
		return pal.Yellow(string(in.Outcome))
	}
	r := in.Result
	text := string(r.Outcome)
	if r.Done() {
		text = pal.Green(text)
	} else {
		text = pal.Red(text)
	}
	switch {
	case r.Canceled && r.Outcome == simulate.OutcomeCanceled:
		text += fmt.Sprintf(" (%s)", r.CancelReason)
	case r.Canceled:
		// Another outcome after the cancel (terminated at the end of the
		// grace period): both are news.
		text += fmt.Sprintf(" (canceled: %s)", r.CancelReason)
	}
	return text
}

// writeDeliverySummary is the text report of a delivery: a paragraph per
// instance and a closing line that says what became of the notification.
func writeDeliverySummary(w io.Writer, pal Palette, rep *simulate.Report) error {
	for _, in := range rep.Instances {
		writeInstanceSummary(w, pal, rep, in)
	}
	var closing string
	switch rep.Disposition {
	case simulate.DispositionDropped:
		closing = pal.Yellow("dropped") + ": " + rep.Reason
	case simulate.DispositionWaiting:
		closing = pal.Yellow("not delivered") + ": " + rep.Reason
	case simulate.DispositionHandledByApp:
		closing = pal.Green("handled by the app") + ": " + rep.Reason
	default:
		closing = deliveredLine(pal, rep)
	}
	if rep.Interrupted {
		closing += "; interrupted, registrations not reached are not listed"
	}
	_, err := fmt.Fprintln(w, closing)
	return err
}

func deliveredLine(pal Palette, rep *simulate.Report) string {
	counts := map[simulate.Outcome]int{}
	var order []simulate.Outcome
	for _, in := range rep.Instances {
		if counts[in.Outcome] == 0 {
			order = append(order, in.Outcome)
		}
		counts[in.Outcome]++
	}
	parts := make([]string, 0, len(order))
	for _, o := range order {
		parts = append(parts, fmt.Sprintf("%d %s", counts[o], o))
	}
	word := pal.Green("delivered")
	if !rep.AllCompleted() {
		word = pal.Red("delivered")
	}
	line := fmt.Sprintf("%s: %d instance(s): %s", word, len(rep.Instances), strings.Join(parts, ", "))
	if len(order) == 1 && order[0] == simulate.OutcomeNotStarted {
		// Windows took the notification, but activated nothing: say so, as
		// "delivered" alone reads as if a task had run.
		line += "; no task ran (each one's error above says why)"
	}
	return line
}

func writeInstanceSummary(w io.Writer, pal Palette, rep *simulate.Report, in simulate.InstanceReport) {
	name := pal.Bold(safetext.Escape(in.Registration.Name))
	if rep.Options.Repeat > 1 {
		name += fmt.Sprintf(" #%d", in.Delivery)
	}
	if in.Result == nil {
		fmt.Fprintf(w, "%s (%s): %s\n", name, safetext.Escape(in.Registration.EntryPoint), unmetText(in))
		return
	}
	r := in.Result
	fmt.Fprintf(w, "%s (%s): %s", name, safetext.Escape(in.Registration.EntryPoint), outcomeText(pal, in))
	if r.PID != 0 {
		fmt.Fprintf(w, " in %v, cpu %v, progress %d%%, %s", r.WallTime.Round(time.Millisecond),
			(r.UserTime + r.SystemTime).Round(time.Millisecond), r.Progress, orDash(r.ExitStatus))
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  instance %s, %s to %s\n", in.InstanceID, in.StartedAt.Format("15:04:05.000"), in.EndedAt.Format("15:04:05.000"))
	if r.Error != "" {
		fmt.Fprintf(w, "  error: %s\n", safetext.Escape(r.Error))
	}
	if r.DeferralsTaken > 0 || r.DeferralsPending > 0 {
		fmt.Fprintf(w, "  deferrals: %d taken, %d never completed\n", r.DeferralsTaken, r.DeferralsPending)
	}
	if r.CPUQuotaExceeded {
		fmt.Fprintf(w, "  over the CPU quota of %v\n", rep.Options.Policy.CPUQuota)
	}
	if r.LeftoverKilled {
		fmt.Fprintln(w, "  "+leftoverText(r))
	}
	for _, warning := range r.Warnings {
		fmt.Fprintf(w, "  %s %s\n", pal.Yellow("warning:"), safetext.Escape(warning))
	}
}

// leftoverText says what the host killed after the plugin exited: what was
// left of its group, and what had left it (found on Linux only).
func leftoverText(r *simulate.Result) string {
	if len(r.EscapedKilled) == 0 {
		return "killed processes it left behind"
	}
	return fmt.Sprintf("killed processes it left behind, %d outside its process group (setsid, a daemon): pids %v", len(r.EscapedKilled), r.EscapedKilled)
}
