package wns

import (
	"context"
	"strings"
	"sync"
	"time"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/simulate"
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
}

// Deliver pushes n and reports each instance and the delivery as events.
func (d *BrokerDeliverer) Deliver(ctx context.Context, n Notification, emit func(Event)) {
	// Standard channels carry neither RawNotification.ChannelId nor Headers
	// (windows-facts.md §5): only alternate-key channels do, and only
	// Content-Length and Content-Type reach the client (§6).
	sn := simulate.Notification{Payload: n.Payload}
	logs := &logEvents{msgID: n.MsgID, emit: emit}
	obs := simulate.DeliveryObserver{
		Waiting: func(in simulate.InstanceReport) {
			emit(Event{Kind: EventEnded, MsgID: n.MsgID, Instance: instanceInfo(in)})
		},
		Started: func(in simulate.InstanceReport) {
			logs.set(in)
			emit(Event{Kind: EventStarted, MsgID: n.MsgID, Instance: instanceInfo(in)})
		},
		Progress: func(in simulate.InstanceReport, percent uint32) {
			info := instanceInfo(in)
			info.Progress = &percent
			emit(Event{Kind: EventProgress, MsgID: n.MsgID, Instance: info})
		},
		Log: logs,
		Ended: func(in simulate.InstanceReport) {
			emit(Event{Kind: EventEnded, MsgID: n.MsgID, Instance: instanceInfo(in)})
		},
	}
	rep, err := d.Broker.Push(ctx, sn, d.Options, obs)
	ev := Event{Kind: EventDelivery, MsgID: n.MsgID, Channel: n.Channel.Token}
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

func instanceInfo(in simulate.InstanceReport) *InstanceInfo {
	info := &InstanceInfo{Name: in.Registration.Name, EntryPoint: in.Registration.EntryPoint, InstanceID: in.InstanceID}
	if in.Outcome != "" {
		info.Outcome = string(in.Outcome)
	}
	if r := in.Result; r != nil {
		if r.InstanceID != "" {
			info.InstanceID = r.InstanceID
		}
		progress := r.Progress
		wall := float64(r.WallTime) / float64(time.Millisecond)
		info.Progress, info.WallMillis, info.Error = &progress, &wall, r.Error
		if r.Canceled {
			info.CancelReason = r.CancelReason.String()
		}
	}
	return info
}

// logEvents turns the host's log lines ("Name: line\n", one Write each,
// already escaped for a terminal) into EventLog events of the instance
// that runs: the broker runs one at a time.
type logEvents struct {
	msgID string
	emit  func(Event)

	mu     sync.Mutex
	in     *InstanceInfo
	prefix string
}

func (l *logEvents) set(in simulate.InstanceReport) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.in = &InstanceInfo{Name: in.Registration.Name, EntryPoint: in.Registration.EntryPoint, InstanceID: in.InstanceID}
	l.prefix = safetext.Escape(in.Registration.Name) + ": "
}

func (l *logEvents) Write(p []byte) (int, error) {
	l.mu.Lock()
	in, prefix := l.in, l.prefix
	l.mu.Unlock()
	for _, line := range strings.Split(strings.TrimSuffix(string(p), "\n"), "\n") {
		l.emit(Event{Kind: EventLog, MsgID: l.msgID, Instance: in, Line: strings.TrimPrefix(line, prefix)})
	}
	return len(p), nil
}
