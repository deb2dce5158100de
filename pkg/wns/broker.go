package wns

import (
	"context"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// DispositionError is the disposition of a delivery the broker refused
// before anything ran (a registry that cannot be read); Reason says why.
const DispositionError = "error"

// BrokerDeliverer delivers through the push broker of pkg/simulate, as
// `bgtask push` does: the registry is read afresh for every notification,
// and the broker runs one push task per app at a time.
type BrokerDeliverer struct {
	Broker  *simulate.Broker
	Options simulate.DeliveryOptions
	// Prestart: while notifications wait in the queue, the plugin process
	// of the next instance is started while the current one runs
	// (simulate.DeliveryOptions.NextWaiting), so that it waits for no
	// process start. Off, each process starts when its instance begins.
	Prestart bool
}

// Close ends a plugin process started ahead for a notification that was
// not delivered (serve stopped with it in the queue).
func (d *BrokerDeliverer) Close() {
	d.Broker.Close()
}

// Idle ends a plugin process started ahead when the queue has run dry:
// what was queued expired, or had no task to run.
func (d *BrokerDeliverer) Idle() {
	d.Broker.EndPrestarted()
}

// Waiting has the broker start the next instance's plugin process ahead
// when a notification is queued while an instance runs (Prestart).
func (d *BrokerDeliverer) Waiting() {
	if d.Prestart {
		d.Broker.Waiting()
	}
}

// Deliver pushes n and reports each instance and the delivery as events.
func (d *BrokerDeliverer) Deliver(ctx context.Context, n Notification, emit func(Event)) {
	// Standard channels carry neither RawNotification.ChannelId nor Headers
	// (windows-facts.md §5): only alternate-key channels do, and only
	// Content-Length and Content-Type reach the client (§6).
	sn := simulate.Notification{Payload: n.Payload}
	queued := n.Queued
	if queued.IsZero() {
		queued = n.Received
	}
	opts := d.Options
	if d.Prestart && n.nextWaiting != nil {
		opts.NextWaiting = n.nextWaiting
	}
	d.report(emit, n.MsgID, n.Channel.Token, queued, func(obs simulate.DeliveryObserver) (*simulate.Report, error) {
		return d.Broker.Push(ctx, sn, opts, obs)
	})
}

// report runs one delivery with an observer that turns what happens into
// events, then reports the delivery. queued is when the delivery was asked
// for: its instances wait from then until they start.
func (d *BrokerDeliverer) report(emit func(Event), msgID, channel string, queued time.Time, run func(simulate.DeliveryObserver) (*simulate.Report, error)) {
	obs := simulate.DeliveryObserver{
		Waiting: func(in simulate.InstanceReport) {
			emit(Event{Kind: EventEnded, MsgID: msgID, Instance: instanceInfo(in, queued)})
		},
		Started: func(in simulate.InstanceReport) {
			emit(Event{Kind: EventStarted, MsgID: msgID, Instance: instanceInfo(in, queued)})
		},
		Progress: func(in simulate.InstanceReport, percent uint32) {
			info := instanceInfo(in, queued)
			info.Progress = &percent
			emit(Event{Kind: EventProgress, MsgID: msgID, Instance: info})
		},
		// The line as the task wrote it: --json and the API carry it exact,
		// and the text log escapes it (cmd/serve_delivery.go).
		LogLine: func(in simulate.InstanceReport, line string) {
			info := &InstanceInfo{Name: in.Registration.Name, EntryPoint: in.Registration.EntryPoint, InstanceID: in.InstanceID}
			emit(Event{Kind: EventLog, MsgID: msgID, Instance: info, Line: line})
		},
		Canceled: func(in simulate.InstanceReport, reason plugin.CancelReason, at time.Time) {
			info := instanceInfo(in, queued)
			info.CancelReason, info.CanceledAt = reason.String(), at.UTC()
			emit(Event{Kind: EventCancel, MsgID: msgID, Instance: info})
		},
		Killed: func(in simulate.InstanceReport, at time.Time) {
			info := instanceInfo(in, queued)
			info.KilledAt = at.UTC()
			emit(Event{Kind: EventKilled, MsgID: msgID, Instance: info})
		},
		Ended: func(in simulate.InstanceReport) {
			emit(Event{Kind: EventEnded, MsgID: msgID, Instance: instanceInfo(in, queued)})
		},
	}
	rep, err := run(obs)
	ev := Event{Kind: EventDelivery, MsgID: msgID, Channel: channel}
	if err != nil {
		zero := 0
		ev.Disposition, ev.Reason, ev.Instances = DispositionError, err.Error(), &zero
		emit(ev)
		return
	}
	started := 0
	for _, in := range rep.Instances {
		if in.Result != nil {
			started++
		}
	}
	ev.Disposition, ev.Reason, ev.Instances = string(rep.Disposition), rep.Reason, &started
	emit(ev)
}

// Registrations lists the registry's registrations for the inbox's trigger
// buttons.
func (d *BrokerDeliverer) Registrations() ([]RegistrationInfo, error) {
	reg, err := tasks.Load(d.Broker.RegistryPath)
	if err != nil {
		return nil, err
	}
	out := []RegistrationInfo{}
	for _, r := range reg.Registrations {
		out = append(out, RegistrationInfo{Name: r.Name, EntryPoint: r.EntryPoint, Trigger: r.Trigger.String(), Push: r.Trigger.Kind == tasks.TriggerPush})
	}
	return out, nil
}

// Trigger fires the registration name by hand, as bgtask trigger does; a
// push registration gets payload as its raw notification.
func (d *BrokerDeliverer) Trigger(ctx context.Context, msgID, name string, payload []byte, emit func(Event)) {
	var n *simulate.Notification
	reg, err := tasks.Load(d.Broker.RegistryPath)
	if err == nil {
		if found := reg.Lookup(name); len(found) > 0 && found[0].Trigger.Kind == tasks.TriggerPush {
			n = &simulate.Notification{Payload: payload}
		}
	}
	d.report(emit, msgID, "", time.Now(), func(obs simulate.DeliveryObserver) (*simulate.Report, error) {
		return d.Broker.Trigger(ctx, name, n, d.Options, obs)
	})
}

func instanceInfo(in simulate.InstanceReport, queued time.Time) *InstanceInfo {
	info := &InstanceInfo{Name: in.Registration.Name, EntryPoint: in.Registration.EntryPoint, InstanceID: in.InstanceID,
		QueuedAt: queued.UTC(), StartedAt: in.StartedAt.UTC(), EndedAt: in.EndedAt.UTC()}
	if in.Outcome != "" {
		info.Outcome = string(in.Outcome)
	}
	if r := in.Result; r != nil {
		info.RunAt, info.CompletedAt = r.RunAt.UTC(), r.CompletedAt.UTC()
		info.CanceledAt, info.KilledAt = r.CanceledAt.UTC(), r.KilledAt.UTC()
		if r.InstanceID != "" {
			info.InstanceID = r.InstanceID
		}
		progress, taken, pending := r.Progress, r.DeferralsTaken, r.DeferralsPending
		ms := func(d time.Duration) *float64 { v := float64(d) / float64(time.Millisecond); return &v }
		info.Progress, info.Error, info.Warnings = &progress, r.Error, r.Warnings
		info.WallMillis, info.UserMillis, info.SystemMillis = ms(r.WallTime), ms(r.UserTime), ms(r.SystemTime)
		info.DeferralsTaken, info.DeferralsPending = &taken, &pending
		info.Prestarted = r.Prestarted
		if r.Canceled {
			info.CancelReason = r.CancelReason.String()
		}
	}
	return info
}
