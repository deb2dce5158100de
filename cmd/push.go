package cmd

import (
	"fmt"
	"strings"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/shutdown"
	"github.com/bgtask/bgtask/pkg/simulate"
)

// PushOptions are push's flags.
type PushOptions struct {
	deliveryFlags
	// To is a channel URI of a running bgtask serve (push_to.go).
	To string
}

// NewCmdPush builds `bgtask push`: a raw notification arrives, and every
// registration with a push trigger runs, under Windows' rules.
func NewCmdPush(g *Globals) *cobra.Command {
	opts := &PushOptions{}
	cmd := &cobra.Command{
		Use:   "push (--payload TEXT | --payload-file PATH|-) [flags]",
		Short: "Deliver a raw notification to every registered push task",
		Long: `Push delivers one raw push notification to the app, as WNS and Windows would: every
registration with a push trigger in the registry runs its task plugin, one instance at a time
(Windows runs one raw-push background task per app at a time), under the policy's limits:
30 s of wall-clock time, then a cancel with ExecutionTimeExceeded and 5 s of grace, then the
plugin and its children are killed.

The payload is delivered byte for byte (RawNotification.ContentBytes; Content is its text). An
empty payload or one over 5000 bytes is refused, as WNS refuses it. With no push registration
the notification is dropped, as Windows drops it.

--app-state foreground first raises PushNotificationReceived in the running app; with
--foreground-cancel its handler keeps the notification from the tasks. --state sets the
simulated conditions (a registration whose conditions do not hold waits and does not run);
--lose-condition makes one stop holding while a task runs, which cancels tasks registered with
--cancel-on-condition-loss (reason ConditionLoss). --policy windows81 adds the Windows 8.1
lock-screen CPU quota of 2 CPU-seconds (then reason SystemPolicy).

Exit status: 0 every instance completed (or the foreground app handled it), 1 an instance did
not complete, 2 bad input, 3 nothing ran (dropped, or waiting for conditions).

--to CHANNEL_URI sends the notification through a running bgtask serve instead, as an app
server would (a token for the app's credentials, then a POST to the channel URI); --header
entries become HTTP headers such as X-WNS-Cache-Policy=cache. It exits 0 when serve answers
200 received, 3 when it dropped the notification (device offline), 2 when it refused the
request, 4 when it throttled it or could not be reached.`,
		Example: `  bgtask push --payload '{"order":42}'
  bgtask push --payload-file body.bin --header X-Demo=1 --channel-id ch1
  bgtask push --payload ping --app-state foreground --foreground-cancel
  bgtask push --payload ping --state InternetAvailable=false
  bgtask push --payload ping --lose-condition InternetAvailable --after 100ms
  bgtask push --payload ping --repeat 3 --json
  bgtask push --payload ping --to "$(bgtask channel list --json | jq -r '.channels[-1].uri')"`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !opts.hasPayload(cmd) {
				return usageErrorf("give the notification's content with --payload TEXT or --payload-file PATH (- for standard input)")
			}
			if cmd.Flags().Changed("to") {
				// An empty --to is a script's failed lookup of serve's
				// channel ("$(jq ... ready.json)" after serve did not
				// start), not a request for a local push: that would pass
				// a CI step that never reached serve.
				if strings.TrimSpace(opts.To) == "" {
					return usageErrorf("--to is empty: give the channel URI serve printed (its ready file's channelUri, or bgtask channel list); leave --to out to push without serve")
				}
				return runPushTo(cmd, g, opts)
			}
			return runPush(cmd, g, opts)
		},
	}
	opts.addFlags(cmd)
	cmd.Flags().StringVar(&opts.To, "to", "", "send through a running bgtask serve to this channel URI, as an app server would (--header entries become HTTP headers)")
	return cmd
}

func runPush(cmd *cobra.Command, g *Globals, opts *PushOptions) error {
	n, err := opts.notification(cmd, g.IO.In)
	if err != nil {
		return err
	}
	dopts, err := opts.options(cmd)
	if err != nil {
		return err
	}
	// On Ctrl-C the running instance is cancelled and given its grace period,
	// and the report is still printed: bgtask exits only after that. Not
	// before: reading the payload from a standard input that never ends
	// must stop at Ctrl-C. The hold ends with the instances: printing the
	// report gets the moment Main gives a command that ended its plugins,
	// so an output nobody reads cannot keep bgtask from stopping.
	release := shutdown.Hold(cmd.Context())
	defer release()
	broker := &simulate.Broker{RegistryPath: g.RegistryPath(), Example: exampleTarget()}
	view := newLiveView(g)
	rep, err := broker.Push(cmd.Context(), *n, dopts, view.observer())
	broker.Close()
	view.close(cmd.Context())
	release()
	if err != nil {
		return deliveryError(err)
	}
	return finishDelivery(g, "push", opts.Policy, opts.JSON, broker.RegistryPath, rep)
}

// finishDelivery prints the report and maps it to the exit status.
func finishDelivery(g *Globals, command, policy string, asJSON bool, registry string, rep *simulate.Report) error {
	if ran := startedInstances(rep); ran > 0 {
		// The tasks ran whatever becomes of the report: their side effects
		// are done, and a failed write must not say nothing happened.
		g.noteChange("%d task instance(s) ran", ran)
	}
	var err error
	if asJSON {
		err = writeDeliveryJSON(g.IO.Out, command, registry, policy, rep)
	} else {
		err = writeDeliverySummary(g.IO.Out, g.OutPalette(), rep)
	}
	if err != nil {
		return operationalError(fmt.Errorf("writing the delivery report: %w", err))
	}
	if rep.Disposition == simulate.DispositionDropped && len(rep.Instances) == 0 {
		g.noteNoApp()
	}
	return deliveryExit(rep)
}

// startedInstances counts the instances whose plugin process was started.
func startedInstances(rep *simulate.Report) int {
	n := 0
	for _, in := range rep.Instances {
		if in.Result != nil && in.Result.PID != 0 {
			n++
		}
	}
	return n
}
