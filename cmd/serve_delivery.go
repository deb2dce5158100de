package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/wns"
)

// serveDelivery is how serve delivers accepted notifications: through the
// push broker, with push's flags for the simulated app state, conditions and
// policy.
type serveDelivery struct {
	f        deliveryFlags
	prestart bool
}

func (d *serveDelivery) addFlags(cmd *cobra.Command) {
	d.f.addSimulationFlags(cmd)
	d.f.Repeat = 1
	cmd.Flags().BoolVar(&d.prestart, "prestart", true,
		"while notifications wait in the queue, start the next instance's plugin process while the current one runs "+
			"(still one process per instance); --prestart=false starts each when its instance begins")
}

func (d *serveDelivery) deliverer(cmd *cobra.Command, g *Globals) (wns.Deliverer, error) {
	opts, err := d.f.options(cmd)
	if err != nil {
		return nil, err
	}
	return &wns.BrokerDeliverer{
		Broker:   &simulate.Broker{RegistryPath: g.RegistryPath(), Example: exampleTarget()},
		Options:  opts,
		Prestart: d.prestart,
	}, nil
}

// deliveryText renders the delivery events of serve's text log.
func (o *serveOutput) deliveryText(ev wns.Event) string {
	p := o.pal
	in := ev.Instance
	var b strings.Builder
	switch ev.Kind {
	case wns.EventStarted:
		fmt.Fprintf(&b, " %s (%s, instance %s)", safetext.Escape(in.Name), safetext.Escape(in.EntryPoint), in.InstanceID)
	case wns.EventProgress:
		fmt.Fprintf(&b, " %s: progress %d%%", safetext.Escape(in.Name), *in.Progress)
	case wns.EventCancel:
		fmt.Fprintf(&b, " %s: %s", safetext.Escape(in.Name), in.CancelReason)
	case wns.EventKilled:
		fmt.Fprintf(&b, " %s", safetext.Escape(in.Name))
	case wns.EventLog:
		// The line as the task wrote it, escaped here for the terminal.
		fmt.Fprintf(&b, " %s: %s", safetext.Escape(in.Name), safetext.Line(ev.Line))
	case wns.EventEnded:
		outcome := in.Outcome
		if outcome == string(simulate.OutcomeCompleted) {
			outcome = p.Green(outcome)
		} else {
			outcome = p.Red(outcome)
		}
		fmt.Fprintf(&b, " %s: %s", safetext.Escape(in.Name), outcome)
		if in.WallMillis != nil {
			fmt.Fprintf(&b, " in %.0fms", *in.WallMillis)
		}
		if in.CancelReason != "" {
			fmt.Fprintf(&b, ", canceled (%s)", in.CancelReason)
		}
		if in.Error != "" {
			fmt.Fprintf(&b, ": %s", safetext.Escape(in.Error))
		}
	case wns.EventDelivery:
		fmt.Fprintf(&b, " %s", ev.Disposition)
		if ev.Instances != nil {
			fmt.Fprintf(&b, ", %d instance(s)", *ev.Instances)
		}
	}
	return b.String()
}
