package plugin

import (
	"fmt"
	"sync"
	"sync/atomic"
)

// Instance is what a task's Run gets: Windows' IBackgroundTaskInstance.
// Its methods are safe to call from any goroutine.
type Instance struct {
	run    Run
	out    *instanceOutput
	reason atomic.Uint32
	// reasonSet keeps the first reason: the host going away after its cancel
	// must not rewrite the reason a task is acting on.
	reasonSet atomic.Bool

	deferrals deferralSet
}

func newInstance(run Run, enc *Encoder, logf func(string, ...any)) *Instance {
	return &Instance{run: run, out: &instanceOutput{enc: enc, logf: logf}}
}

// InstanceID is the instance's id (IBackgroundTaskInstance.InstanceId).
func (i *Instance) InstanceID() string { return i.run.InstanceID }

// Name is the registration's name (BackgroundTaskRegistration.Name).
func (i *Instance) Name() string { return i.run.Registration.Name }

// TaskID is the registration's id (BackgroundTaskRegistration.TaskId).
func (i *Instance) TaskID() string { return i.run.Registration.TaskID }

// EntryPoint is the entry point this instance runs.
func (i *Instance) EntryPoint() string { return i.run.Registration.EntryPoint }

// TriggerKind is what fired the instance: TriggerPush, TriggerTime, ...
func (i *Instance) TriggerKind() string { return i.run.Trigger.Kind }

// TriggerDetails is *RawNotification for push triggers and nil otherwise,
// as on Windows where it is unused for system and time events.
func (i *Instance) TriggerDetails() any {
	if n, ok := i.RawNotification(); ok {
		return n
	}
	return nil
}

// RawNotification is the push notification that fired the instance.
func (i *Instance) RawNotification() (*RawNotification, bool) {
	if i.run.Trigger.Kind != TriggerPush || i.run.Trigger.Push == nil {
		return nil, false
	}
	return i.run.Trigger.Push, true
}

// SetProgress reports progress; values over 100 are sent as 100. After the
// instance has completed it does nothing.
func (i *Instance) SetProgress(percent uint32) {
	i.out.send(&Progress{InstanceID: i.run.InstanceID, Percent: min(percent, 100)})
}

// CancelReason says why the host cancelled the instance. It is meaningful
// once Run's context is done.
func (i *Instance) CancelReason() CancelReason { return CancelReason(i.reason.Load()) }

// setCancelReason records why the instance is cancelled, the first time only.
// It is called before the context is cancelled, so the reason is in place
// when ctx.Done fires.
func (i *Instance) setCancelReason(r CancelReason) {
	if i.reasonSet.CompareAndSwap(false, true) {
		i.reason.Store(uint32(r))
	}
}

// GetDeferral keeps the instance alive after Run returns, until Complete.
// Take one for each piece of work that outlives Run: without it the work is
// lost when Run returns, as on Windows.
func (i *Instance) GetDeferral() *Deferral {
	id, ok := i.deferrals.take()
	d := &Deferral{inst: i, id: id}
	if !ok {
		// The instance is over; like Windows, nothing waits for this one.
		d.once.Do(func() {})
		return d
	}
	i.out.send(&DeferralTaken{InstanceID: i.run.InstanceID, DeferralID: id})
	return d
}

// Deferral is Windows' BackgroundTaskDeferral.
type Deferral struct {
	inst *Instance
	id   uint64
	once sync.Once
}

// Complete ends the deferral. Calling it again does nothing.
//
// Deferred in a goroutine that panics (`defer deferral.Complete()`, as
// `bgtask plugin new` writes it), it fails the instance with the panic and
// lets the panic go on, which ends the process: completing the deferral
// there would let the SDK report the instance completed, and even exit 0,
// before the runtime printed the panic and exited 2.
func (d *Deferral) Complete() {
	// recover sees the panic only because Complete is the deferred call
	// itself; called any other way, it returns nil.
	if p := recover(); p != nil {
		d.inst.out.finish(&Completion{InstanceID: d.inst.run.InstanceID,
			Error: fmt.Sprintf("panic in a goroutine holding deferral %d: %v", d.id, p)})
		panic(p)
	}
	d.once.Do(func() {
		d.inst.out.send(&DeferralCompleted{InstanceID: d.inst.run.InstanceID, DeferralID: d.id})
		d.inst.deferrals.complete()
	})
}

// instanceOutput sends an instance's messages until its completion is sent.
type instanceOutput struct {
	mu     sync.Mutex
	enc    *Encoder
	logf   func(string, ...any)
	sealed bool
}

func (o *instanceOutput) send(m Message) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.sealed {
		return
	}
	if err := o.enc.Send(m); err != nil {
		o.logf("bgtask plugin: %v", err)
	}
}

// finish sends the completion and drops everything sent after it.
func (o *instanceOutput) finish(c *Completion) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.sealed {
		return
	}
	o.sealed = true
	if err := o.enc.Send(c); err != nil {
		o.logf("bgtask plugin: %v", err)
	}
}

// deferralSet counts pending deferrals; closed once the instance is over.
type deferralSet struct {
	mu      sync.Mutex
	lastID  uint64
	pending int
	closed  bool
	idle    chan struct{} // closed and replaced when pending drops to zero
}

func (s *deferralSet) take() (uint64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return 0, false
	}
	s.lastID++
	s.pending++
	return s.lastID, true
}

func (s *deferralSet) complete() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pending--
	if s.pending == 0 && s.idle != nil {
		close(s.idle)
		s.idle = nil
	}
}

// waitAndClose waits until no deferral is pending, then refuses new ones.
// It reports whether any deferral was ever taken.
func (s *deferralSet) waitAndClose() (taken bool) {
	for {
		s.mu.Lock()
		if s.pending == 0 {
			s.closed = true
			taken = s.lastID > 0
			s.mu.Unlock()
			return taken
		}
		if s.idle == nil {
			s.idle = make(chan struct{})
		}
		idle := s.idle
		s.mu.Unlock()
		<-idle
	}
}

// close refuses new deferrals without waiting (a failed instance).
func (s *deferralSet) close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
}
