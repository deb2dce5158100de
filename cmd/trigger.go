package cmd

import (
	"errors"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/shutdown"
	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// TriggerOptions are trigger's flags.
type TriggerOptions struct {
	deliveryFlags
}

// NewCmdTrigger builds `bgtask trigger NAME`: fire one registration by hand,
// whatever its trigger, as Visual Studio's lifecycle-events menu does.
func NewCmdTrigger(g *Globals) *cobra.Command {
	opts := &TriggerOptions{}
	cmd := &cobra.Command{
		Use:   "trigger NAME [flags]",
		Short: "Fire one registered task by name, whatever its trigger",
		Long: `Trigger runs one instance of the registration named NAME, as Visual Studio's
lifecycle-events menu fires a background task, but with data: a push registration gets the raw
notification given with --payload or --payload-file (and needs one); other triggers carry none.
The conditions, policy, output, JSON report and exit status are those of bgtask push.`,
		Example: `  bgtask trigger RawPush --payload hello
  bgtask trigger Sync --state InternetAvailable=true --timeout 5s`,
		Args: cobra.ExactArgs(1),
		ValidArgsFunction: func(*cobra.Command, []string, string) ([]string, cobra.ShellCompDirective) {
			return registeredNames(g), cobra.ShellCompDirectiveNoFileComp
		},
		RunE: func(cmd *cobra.Command, args []string) error { return runTrigger(cmd, g, opts, args[0]) },
	}
	opts.addFlags(cmd)
	for _, push := range []string{"app-state", "foreground-cancel", "header", "channel-id"} {
		// Only push registrations get a notification to show the app.
		_ = cmd.Flags().MarkHidden(push)
	}
	return cmd
}

func runTrigger(cmd *cobra.Command, g *Globals, opts *TriggerOptions, name string) error {
	var n *simulate.Notification
	if opts.hasPayload(cmd) {
		var err error
		if n, err = opts.notification(cmd, g.IO.In); err != nil {
			return err
		}
	}
	dopts, err := opts.options(cmd)
	if err != nil {
		return err
	}
	if dopts.AppState != simulate.AppNotRunning {
		return usageErrorf("--app-state is for bgtask push: trigger fires the background task itself")
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
	rep, err := broker.Trigger(cmd.Context(), name, n, dopts, view.observer())
	broker.Close()
	view.close(cmd.Context())
	release()
	if errors.Is(err, simulate.ErrNoSuchRegistration) {
		g.noteNoApp()
		return usageError(err)
	}
	if err != nil {
		return deliveryError(err)
	}
	return finishDelivery(g, "trigger", opts.Policy, opts.JSON, broker.RegistryPath, rep)
}

// registeredNames completes registration names from the registry in use.
func registeredNames(g *Globals) []string {
	reg, err := tasks.Load(g.RegistryPath())
	if err != nil {
		return nil
	}
	return reg.Names()
}
