package simulate

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/google/uuid"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/bgtask/bgtask/pkg/plugin"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// AppState is what the app is doing when a notification arrives; it decides
// who sees the notification first (windows-facts.md §5 "Precedence").
type AppState string

const (
	// AppNotRunning: not running or suspended; the background tasks get it.
	AppNotRunning AppState = "not-running"
	// AppForeground: running; PushNotificationReceived fires first, and its
	// handler may set Cancel to keep the notification from the tasks.
	AppForeground AppState = "foreground"
)

// AppStates lists the states, for flags and messages.
func AppStates() []AppState { return []AppState{AppNotRunning, AppForeground} }

// DeliveryOptions is how one delivery is simulated.
type DeliveryOptions struct {
	AppState AppState
	// ForegroundCancel is PushNotificationReceivedEventArgs.Cancel = true in
	// the foreground app's handler.
	ForegroundCancel bool
	// Conditions is the simulated state of the SystemConditionTypes; the
	// zero value means every condition holds.
	Conditions ConditionState
	// LoseCondition, when valid, stops holding LoseAfter after the first
	// instance of the delivery starts.
	LoseCondition tasks.SystemConditionType
	LoseAfter     time.Duration
	// Policy is what the host enforces on each instance.
	Policy Policy
	// Repeat delivers the notification this many times (a burst), one
	// after the other; 0 means 1.
	Repeat int
	// NextWaiting, when set, reports whether another delivery waits behind
	// this one (bgtask serve's queue is not empty). Set, it lets the broker
	// start the plugin process of the instance that comes next while the
	// current one runs (prestart.go): the next registration's of this
	// delivery, or, while NextWaiting reports true, the first one's of the
	// next delivery, kept for it. The next instance still gets a process
	// of its own. Nil starts each process when its instance begins.
	NextWaiting func() bool
}

// InstanceReport is one registration's part in a delivery: an instance that
// ran, or why none did.
type InstanceReport struct {
	// Delivery is which of a --repeat burst this belongs to, from 1.
	Delivery     int
	Registration tasks.Registration
	InstanceID   string
	// Outcome is the host's outcome, or OutcomeWaiting when the conditions
	// did not hold and nothing was started.
	Outcome Outcome
	// Unmet lists the conditions that kept a waiting registration from
	// running.
	Unmet []tasks.SystemConditionType
	// Result is the host's report; nil when nothing was started.
	Result             *Result
	StartedAt, EndedAt time.Time
}

// OutcomeWaiting: the registration's conditions did not hold, so Windows
// keeps the trigger pending and starts nothing (yet).
const OutcomeWaiting Outcome = "waiting-for-conditions"

// Disposition is what became of a notification.
type Disposition string

const (
	// DispositionDelivered: at least one task instance was started.
	DispositionDelivered Disposition = "delivered"
	// DispositionDropped: no registration with a push trigger; Windows drops
	// a raw notification nobody handles (windows-facts.md §5).
	DispositionDropped Disposition = "dropped"
	// DispositionHandledByApp: the foreground app's handler cancelled it.
	DispositionHandledByApp Disposition = "handled-by-app"
	// DispositionWaiting: every registration waits for its conditions.
	DispositionWaiting Disposition = "waiting-for-conditions"
)

// Report is what one Push or Trigger did.
type Report struct {
	Notification *Notification // nil for a trigger that carries none
	Options      DeliveryOptions
	// ForegroundEvent: PushNotificationReceived was raised in the app.
	ForegroundEvent bool
	Disposition     Disposition
	// Reason explains a notification that started nothing.
	Reason    string
	Instances []InstanceReport
	// Interrupted: the caller cancelled the delivery (Ctrl-C); registrations
	// not reached are missing from Instances.
	Interrupted bool
}

// AllCompleted reports whether every instance that was started completed.
func (r *Report) AllCompleted() bool {
	for _, in := range r.Instances {
		if in.Outcome != OutcomeWaiting && in.Outcome != OutcomeCompleted {
			return false
		}
	}
	return true
}

// DeliveryObserver receives what happens during a delivery, as it happens.
// Any field may be nil. Calls never overlap, except that Log lines are
// written from the instance's log reader: give Log a stream that is safe
// for that, or the same stream the other callbacks use (the host serializes
// Log with Progress).
type DeliveryObserver struct {
	// Foreground: PushNotificationReceived fired in the running app.
	Foreground func(n Notification, canceled bool)
	// Waiting: a registration did not start because of its conditions.
	Waiting func(InstanceReport)
	// Started: an instance is about to be started.
	Started func(InstanceReport)
	// Progress: an instance reported progress.
	Progress func(in InstanceReport, percent uint32)
	// Log gets the task's log lines, each prefixed with its registration's
	// name and escaped for a terminal.
	Log io.Writer
	// LogLine gets the same lines as the task wrote them (Observer.LogLine),
	// in order with Progress.
	LogLine func(in InstanceReport, line string)
	// Ended: an instance ended; its Result is set.
	Ended func(InstanceReport)
	// Canceled and Killed: the host sent a running instance the cancel, or
	// killed its processes (Observer.Canceled, Observer.Killed).
	Canceled func(in InstanceReport, reason plugin.CancelReason, at time.Time)
	Killed   func(in InstanceReport, at time.Time)
	// WaitingForApp: another bgtask process is running a task of this app
	// (the run lock at lockPath is held), and the delivery waits for it:
	// called once the wait has lasted lockNoticeAfter.
	WaitingForApp func(lockPath string)
}

// lockNoticeAfter is how long a delivery waits for the app's run lock
// before it says so: a wait behind a task of another bgtask (up to its 30 s
// limit and grace) would otherwise look like a hang.
const lockNoticeAfter = 500 * time.Millisecond

// Broker delivers notifications and triggers to the registrations of one
// app's registry, as Windows' background infrastructure does. It is safe for
// concurrent use; it runs one push-triggered instance of the app at a time.
type Broker struct {
	// RegistryPath is read afresh on every delivery, so registrations made
	// while a long-running caller (bgtask serve) is up take effect.
	RegistryPath string
	// Example is what registrations with ExamplePlugin run on: the bgtask
	// binary serving its built-in example task.
	Example Plugin

	// pushMu: for raw push, only one background task per app runs at a
	// time; the next waits (windows-facts.md §4).
	pushMu sync.Mutex
	// warm holds the next instance's process, started ahead
	// (DeliveryOptions.NextWaiting).
	warm prestarter
	// running is the record of the running instance, for unregister
	// --cancel in another process.
	running runningSlot
	// pendingNext starts the next instance's process ahead, for the
	// running instance, when nothing waited as it started (Waiting).
	pendingMu   sync.Mutex
	pendingNext func() bool

	// loaded is the registry as last read, when RegistryPath was the file
	// loadedFile (load).
	loadMu     sync.Mutex
	loaded     *tasks.Registry
	loadedFile os.FileInfo
}

// load reads the registry, or gives the one read last when the file is the
// same and unchanged: every change bgtask makes replaces it (a new file),
// and an edit in place changes its modification time or size. bgtask serve
// reads it for every notification, most often unchanged.
func (b *Broker) load() (*tasks.Registry, error) {
	b.loadMu.Lock()
	defer b.loadMu.Unlock()
	info, statErr := os.Stat(b.RegistryPath)
	if statErr == nil && b.loaded != nil && unchangedFile(b.loadedFile, info) {
		return b.loaded, nil
	}
	reg, err := tasks.Load(b.RegistryPath)
	b.loaded, b.loadedFile = nil, nil
	if err != nil {
		return nil, err
	}
	// Stat before the read: a change in between is seen as one next time.
	if statErr == nil {
		b.loaded, b.loadedFile = reg, info
	}
	return reg, nil
}

// Close removes the broker's record of running instances (one file in the
// registry's running folder, made by its first instance), ends the process
// started ahead for a delivery that did not come
// (DeliveryOptions.NextWaiting), and waits until that has exited. Call it
// once the broker delivers no more.
func (b *Broker) Close() {
	b.warm.close()
	b.running.close()
}

// EndPrestarted ends the process started ahead for the next instance, if
// any, without waiting for it: the caller knows no delivery follows now
// (bgtask serve's queue ran dry without one reaching the broker).
func (b *Broker) EndPrestarted() {
	b.warm.discardNext()
}

// Waiting tells the broker that a delivery has been queued behind the
// running one (bgtask serve's queue). When nothing waited as the running
// instance started, its successor's process was not started ahead; it is
// now, so a burst that arrives while one instance runs has its second
// instance prestarted too, not only the third and later.
func (b *Broker) Waiting() {
	b.pendingMu.Lock()
	start := b.pendingNext
	b.pendingNext = nil
	b.pendingMu.Unlock()
	if start != nil {
		// It checks the queue again: a delivery that the worker has taken
		// already (the instance ended meanwhile) needs nothing started.
		start()
	}
}

func (b *Broker) setPendingNext(start func() bool) {
	b.pendingMu.Lock()
	b.pendingNext = start
	b.pendingMu.Unlock()
}

// ErrNoSuchRegistration wraps a trigger of a name the registry lacks.
var ErrNoSuchRegistration = errors.New("no such registration")

// Push delivers a raw notification to every registration with a push
// trigger. The error is for input that stops the delivery before anything
// runs: an invalid notification (*PayloadError) or a registry that cannot be
// read (as pkg/tasks reports it). Everything that happens to the tasks is in
// the Report.
func (b *Broker) Push(ctx context.Context, n Notification, opts DeliveryOptions, obs DeliveryObserver) (*Report, error) {
	if err := n.Validate(); err != nil {
		return nil, err
	}
	warmStart()
	reg, err := b.load()
	if err != nil {
		return nil, err
	}
	var targets []tasks.Registration
	for _, r := range reg.Registrations {
		if r.Trigger.Kind == tasks.TriggerPush {
			targets = append(targets, r)
		}
	}
	rep := &Report{Notification: &n, Options: opts}
	rep.Instances = []InstanceReport{}
	if opts.AppState == AppForeground {
		// windows-facts.md §5 "Precedence": the running app's
		// PushNotificationReceived handler sees the notification first.
		rep.ForegroundEvent = true
		if obs.Foreground != nil {
			obs.Foreground(n, opts.ForegroundCancel)
		}
		if opts.ForegroundCancel {
			rep.Disposition = DispositionHandledByApp
			rep.Reason = "the app's PushNotificationReceived handler set Cancel = true, so no background task runs"
			return rep, nil
		}
	}
	if len(targets) == 0 {
		// windows-facts.md §5: with no push task the notification is dropped.
		rep.Disposition = DispositionDropped
		rep.Reason = fmt.Sprintf("no registration in %s has a push trigger, so Windows drops the notification", b.RegistryPath)
		if rep.ForegroundEvent {
			rep.Disposition = DispositionHandledByApp
			rep.Reason = "the running app received it through PushNotificationReceived; no background task is registered for push"
		}
		return rep, nil
	}
	b.deliver(ctx, reg, targets, &n, opts, obs, rep)
	return rep, nil
}

// Trigger fires the registration named name, whatever its trigger, as
// Visual Studio's lifecycle-events menu does. n is the raw notification for
// a push registration and must be nil for any other. A name the registry
// lacks is an error wrapping ErrNoSuchRegistration (a *tasks.NotFoundError).
func (b *Broker) Trigger(ctx context.Context, name string, n *Notification, opts DeliveryOptions, obs DeliveryObserver) (*Report, error) {
	warmStart()
	reg, err := b.load()
	if err != nil {
		return nil, err
	}
	found := reg.Lookup(name)
	if len(found) == 0 {
		return nil, fmt.Errorf("%w: %w", ErrNoSuchRegistration,
			&tasks.NotFoundError{Name: name, RegistryPath: b.RegistryPath, Registered: reg.Names()})
	}
	r := found[0]
	switch {
	case r.Trigger.Kind == tasks.TriggerPush && n == nil:
		// A push task reads TriggerDetails; firing it with none would show
		// a state Windows never produces.
		return nil, &PayloadError{Reason: fmt.Sprintf("%s has a push trigger: give the raw notification it receives (--payload)", name)}
	case r.Trigger.Kind != tasks.TriggerPush && n != nil:
		return nil, &PayloadError{Reason: fmt.Sprintf(
			"%s has trigger %s (%s), which carries no raw notification (TriggerDetails is unused for it); drop --payload", name, r.Trigger, r.Trigger.WindowsName())}
	}
	if n != nil {
		if err := n.Validate(); err != nil {
			return nil, err
		}
	}
	rep := &Report{Notification: n, Options: opts, Instances: []InstanceReport{}}
	b.deliver(ctx, reg, found[:1], n, opts, obs, rep)
	return rep, nil
}

// deliver runs targets for each delivery of the burst, one instance at a
// time, and settles the report's disposition.
func (b *Broker) deliver(ctx context.Context, reg *tasks.Registry, targets []tasks.Registration, n *Notification,
	opts DeliveryOptions, obs DeliveryObserver, rep *Report) {
	b.pushMu.Lock()
	defer b.pushMu.Unlock()
	unlock, err := b.lockApp(ctx, obs.WaitingForApp)
	if err != nil {
		rep.Interrupted = true
		rep.Disposition = DispositionDropped
		rep.Reason = "interrupted before any task was started"
		return
	}
	defer unlock()
	// A registration removed while the delivery goes on (unregister, from
	// another bgtask) gets no more instances: Windows never activates an
	// unregistered task. The registry is read again only when it was
	// replaced, which every change does (an atomic rename).
	regFile, _ := os.Stat(b.RegistryPath)
	stillRegistered := func(r tasks.Registration) bool {
		now, err := os.Stat(b.RegistryPath)
		replaced := err != nil || regFile == nil || !os.SameFile(now, regFile) ||
			!now.ModTime().Equal(regFile.ModTime()) || now.Size() != regFile.Size()
		if replaced {
			fresh, err := tasks.Load(b.RegistryPath)
			if err != nil {
				return true // a registry broken meanwhile: the next command says so
			}
			reg, regFile = fresh, now
		}
		_, ok := reg.ByID(r.TaskID)
		return ok
	}
	first := true
	state := opts.Conditions
	// loss fires when LoseCondition stops holding: LoseAfter after the first
	// instance starts. Once it has, later registrations see the new state.
	var loss <-chan time.Time
	lossArmed := false
	lossHappened := func() {
		state = state.without(opts.LoseCondition)
		loss = nil
	}
	repeat := max(opts.Repeat, 1)
	// next is the plugin of the instance after targets[i] of delivery d, to
	// start ahead while that one runs; nil when nothing is to be started.
	// It reports false when it started nothing because no delivery waited:
	// one queued later, while the instance runs, has it called again
	// (Waiting).
	next := func(i, d int) func() bool {
		if opts.NextWaiting == nil {
			return nil
		}
		after := targets[(i+1)%len(targets)]
		return func() bool {
			if i+1 == len(targets) && d == repeat && !opts.NextWaiting() {
				return false
			}
			if p, err := b.plugin(reg, after); err == nil {
				b.warm.start(ctx, p)
			}
			return true
		}
	}
	// A process started ahead for a delivery that is not coming is not kept.
	defer func() {
		if opts.NextWaiting == nil || !opts.NextWaiting() {
			b.warm.discardNext()
		}
	}()
	for d := 1; d <= repeat; d++ {
		for i, r := range targets {
			if ctx.Err() != nil {
				rep.Interrupted = true
				break
			}
			select {
			case <-loss: // it came between two instances
				lossHappened()
			default:
			}
			if !first && !stillRegistered(r) {
				continue
			}
			first = false
			in := InstanceReport{Delivery: d, Registration: r}
			if unmet := state.Unmet(r.Conditions); len(unmet) > 0 {
				in.Outcome, in.Unmet = OutcomeWaiting, unmet
				rep.Instances = append(rep.Instances, in)
				if obs.Waiting != nil {
					obs.Waiting(in)
				}
				continue
			}
			if !lossArmed && opts.LoseCondition.Valid() && opts.LoseAfter > 0 {
				lossArmed = true
				timer := time.NewTimer(opts.LoseAfter)
				defer timer.Stop()
				loss = timer.C
			}
			var lost bool
			in, lost = b.runOne(ctx, reg, r, in, n, opts, obs, loss, next(i, d))
			if lost {
				lossHappened()
			}
			rep.Instances = append(rep.Instances, in)
		}
	}
	// The caller's cancel (Ctrl-C) during the last instance reaches no
	// loop check above, yet it stopped the delivery as much.
	if ctx.Err() != nil {
		rep.Interrupted = true
	}
	started := false
	for _, in := range rep.Instances {
		started = started || in.Outcome != OutcomeWaiting
	}
	switch {
	case started:
		rep.Disposition = DispositionDelivered
	case rep.Interrupted:
		rep.Disposition = DispositionDropped
		rep.Reason = "interrupted before any task was started"
	default:
		rep.Disposition = DispositionWaiting
		rep.Reason = "every registration waits for conditions that do not hold; Windows starts them when the conditions hold"
	}
}

// lockApp takes the app's run lock, held while its instances run, so that
// one raw-push task of the app runs at a time across bgtask processes too
// (a push while serve delivers, two pushes from two terminals), as
// windows-facts.md §4 has it; pushMu orders the deliveries of this process.
// The lock is a file beside the registry, the app's identity here. A folder
// where no lock file can be made (a read-only checkout) leaves the order to
// pushMu alone; only the end of ctx while waiting is an error.
func (b *Broker) lockApp(ctx context.Context, waiting func(lockPath string)) (unlock func(), err error) {
	path := fsutil.Target(b.RegistryPath) + ".run.lock"
	soon, cancel := context.WithTimeout(ctx, lockNoticeAfter)
	release, err := fsutil.Lock(soon, path)
	cancel()
	if err != nil && ctx.Err() == nil && errors.Is(soon.Err(), context.DeadlineExceeded) {
		// Held by another bgtask: say so, then wait on.
		if waiting != nil {
			waiting(path)
		}
		release, err = fsutil.Lock(ctx, path)
	}
	if err != nil {
		if ctx.Err() != nil {
			return nil, err
		}
		return func() {}, nil
	}
	return func() { _ = release() }, nil
}

// runOne runs one instance of r. loss fires when the simulated condition
// loss happens; lost reports whether it happened during this instance.
func (b *Broker) runOne(ctx context.Context, reg *tasks.Registry, r tasks.Registration, in InstanceReport, n *Notification,
	opts DeliveryOptions, obs DeliveryObserver, loss <-chan time.Time, startNext func() bool) (_ InstanceReport, lost bool) {
	in.InstanceID = uuid.NewString()
	inv := Invocation{
		InstanceID:   in.InstanceID,
		Registration: plugin.Registration{Name: r.Name, TaskID: r.TaskID.String(), EntryPoint: r.EntryPoint},
		Trigger:      plugin.Trigger{Kind: ProtocolTriggerKind(r.Trigger.Kind)},
	}
	if n != nil {
		inv.Trigger.Push = n.raw()
	}
	in.StartedAt = time.Now()
	if obs.Started != nil {
		obs.Started(in)
	}
	p, err := b.plugin(reg, r)
	if err != nil {
		in.Result = &Result{InstanceID: in.InstanceID, Outcome: OutcomeNotStarted, ExitCode: -1, Error: err.Error()}
		return b.ended(in, obs), false
	}

	// The condition loss is watched only while this instance runs; a loss
	// cancels it only if it asked for that (CancelOnConditionLoss) and
	// depends on the condition, as on Windows.
	cancels := make(chan plugin.CancelReason, 2)
	inv.Cancel = cancels
	done := make(chan struct{})
	lostC := make(chan bool, 1)
	if loss == nil {
		lostC <- false // nothing to watch: no goroutine for it
	} else {
		go func() {
			select {
			case <-loss:
				lostC <- true
				if r.CancelOnConditionLoss && dependsOn(r, opts.LoseCondition) {
					cancels <- plugin.CancelConditionLoss
				}
			case <-done:
				lostC <- false
			}
		}()
	}
	// unregister --cancel from another process: Unregister(true) cancels
	// running instances with reason Abort. The record is written while the
	// plugin starts, off the delivery's critical path; a cancel request
	// cannot come before the record exists anyway.
	recorded := make(chan func(), 1)
	go func() {
		watch, unmark := b.running.mark(b.RegistryPath, in)
		if watch != "" {
			go watchCancelRequest(watch, cancels, done)
		}
		recorded <- unmark
	}()
	defer func() { (<-recorded)() }()
	hostObs := Observer{Log: obs.Log}
	if obs.LogLine != nil {
		hostObs.LogLine = func(line string) { obs.LogLine(in, line) }
	}
	if obs.Progress != nil {
		hostObs.Progress = func(percent uint32) { obs.Progress(in, percent) }
	}
	if obs.Canceled != nil {
		hostObs.Canceled = func(reason plugin.CancelReason, at time.Time) { obs.Canceled(in, reason, at) }
	}
	if obs.Killed != nil {
		hostObs.Killed = func(at time.Time) { obs.Killed(in, at) }
	}
	var started func()
	if startNext != nil {
		started = func() {
			if !startNext() {
				b.setPendingNext(startNext)
			}
		}
	}
	res := runInstance(ctx, p, inv, opts.Policy, hostObs, &b.warm, started)
	// Once the instance has ended, a delivery queued now is the next one
	// itself, not one to start ahead for.
	b.setPendingNext(nil)
	close(done)
	lost = <-lostC
	in.Result = res
	return b.ended(in, obs), lost
}

// watchCancelRequest sends Abort on cancels once the file watch appears.
func watchCancelRequest(watch string, cancels chan<- plugin.CancelReason, done <-chan struct{}) {
	tick := time.NewTicker(cancelPollInterval)
	defer tick.Stop()
	for {
		select {
		case <-done:
			return
		case <-tick.C:
			if _, err := os.Stat(watch); err == nil {
				select {
				case cancels <- plugin.CancelAbort:
				default:
				}
				return
			}
		}
	}
}

func (b *Broker) ended(in InstanceReport, obs DeliveryObserver) InstanceReport {
	in.EndedAt = time.Now()
	in.Outcome = in.Result.Outcome
	if obs.Ended != nil {
		obs.Ended(in)
	}
	return in
}

// dependsOn reports whether r waits for condition c.
func dependsOn(r tasks.Registration, c tasks.SystemConditionType) bool {
	for _, have := range r.Conditions {
		if have == c {
			return true
		}
	}
	return false
}

// plugin is what runs r: the example plugin, or the registered executable.
// A registration without one cannot start, as a task whose class Windows
// cannot activate does not (windows-facts.md §7, "failed to activate").
func (b *Broker) plugin(reg *tasks.Registry, r tasks.Registration) (Plugin, error) {
	switch {
	case r.ExamplePlugin:
		if b.Example.Path == "" {
			return Plugin{}, errors.New("this registration runs on bgtask's built-in example plugin, which this caller does not provide")
		}
		return b.Example, nil
	case r.Plugin == "":
		return Plugin{}, fmt.Errorf("no plugin is registered for %s, so nothing can run %s: "+
			"register it again with --plugin PATH (or --example) and --replace", r.Name, r.EntryPoint)
	}
	return Plugin{Path: reg.PluginPath(r), Args: r.PluginArgs}, nil
}

// ProtocolTriggerKind maps a registration's trigger to the protocol's kind
// names (docs/protocol.md): TimeTrigger is "time" there.
func ProtocolTriggerKind(k tasks.TriggerKind) string {
	switch k {
	case tasks.TriggerPush:
		return plugin.TriggerPush
	case tasks.TriggerTimer:
		return plugin.TriggerTime
	case tasks.TriggerMaintenance:
		return plugin.TriggerMaintenance
	case tasks.TriggerSystem:
		return plugin.TriggerSystem
	case tasks.TriggerApplication:
		return plugin.TriggerApplication
	}
	return string(k)
}
