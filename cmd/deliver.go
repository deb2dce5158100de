package cmd

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/pkg/simulate"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// deliveryFlags are the flags push and trigger share: the notification, the
// simulated app and device state, the policy, and the output.
type deliveryFlags struct {
	Payload     string
	PayloadFile string
	Headers     []string
	ChannelID   string

	AppState         string
	ForegroundCancel bool
	States           []string
	LoseCondition    string
	LoseAfter        time.Duration

	Policy    string
	Timeout   time.Duration
	Grace     time.Duration
	Handshake time.Duration
	CPUQuota  time.Duration
	Repeat    int

	JSON bool
}

func (f *deliveryFlags) addFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.Payload, "payload", "", "the raw notification's content")
	fs.StringVar(&f.PayloadFile, "payload-file", "", "read the raw notification's content from a file, byte for byte (- for standard input)")
	fs.StringArrayVar(&f.Headers, "header", nil, "a RawNotification.Headers entry, NAME=VALUE; repeatable")
	fs.StringVar(&f.ChannelID, "channel-id", "", "RawNotification.ChannelId")
	f.addSimulationFlags(cmd)
	fs.IntVar(&f.Repeat, "repeat", 1, "deliver the notification this many times, one after the other")
	fs.BoolVar(&f.JSON, "json", false, "print the delivery report as JSON (docs/json.md)")
}

// addSimulationFlags adds the flags of the simulated app and device state
// and of the policy: what options reads. serve takes them too.
func (f *deliveryFlags) addSimulationFlags(cmd *cobra.Command) {
	fs := cmd.Flags()
	fs.StringVar(&f.AppState, "app-state", string(simulate.AppNotRunning), "the app's state: not-running or foreground")
	fs.BoolVar(&f.ForegroundCancel, "foreground-cancel", false, "with --app-state foreground: the app's PushNotificationReceived handler sets Cancel = true")
	fs.StringArrayVar(&f.States, "state", nil, "simulated conditions, NAME=true|false[,...] (default: every condition holds); repeatable")
	fs.StringVar(&f.LoseCondition, "lose-condition", "", "a condition that stops holding --after the first instance starts")
	fs.DurationVar(&f.LoseAfter, "after", 0, "when --lose-condition happens, after the first instance starts")
	fs.StringVar(&f.Policy, "policy", simulate.PolicyWindows10, "the limits to apply: "+strings.Join(simulate.PolicyNames(), " or "))
	fs.DurationVar(&f.Timeout, "timeout", 0, "wall-clock limit of each instance (overrides the policy's 30s)")
	fs.DurationVar(&f.Grace, "grace", 0, "time a cancelled instance has to finish before it is killed (overrides the policy's 5s)")
	fs.DurationVar(&f.CPUQuota, "cpu-quota", 0, "CPU time an instance may use before it is cancelled with SystemPolicy (overrides the policy's: none for windows10, 2s for windows81)")
	fs.DurationVar(&f.Handshake, "handshake-timeout", simulate.DefaultHandshakeTimeout, "time a plugin has from its start to write its handshake (from its instance's start for a process serve --prestart started ahead)")
}

// hasPayload reports whether a notification was given.
func (f *deliveryFlags) hasPayload(cmd *cobra.Command) bool {
	return cmd.Flags().Changed("payload") || cmd.Flags().Changed("payload-file")
}

// notification reads the raw notification the flags describe. The payload
// limits are applied by the broker; reading stops a little past them so a
// huge file or stream costs no memory.
func (f *deliveryFlags) notification(cmd *cobra.Command, in io.Reader) (*simulate.Notification, error) {
	if cmd.Flags().Changed("payload") && cmd.Flags().Changed("payload-file") {
		return nil, usageErrorf("give --payload or --payload-file, not both: a raw notification has one content")
	}
	n := &simulate.Notification{Payload: []byte(f.Payload), ChannelID: f.ChannelID}
	if f.PayloadFile != "" {
		data, err := readPayloadFile(f.PayloadFile, in)
		if err != nil {
			return nil, err
		}
		n.Payload = data
	}
	for _, h := range f.Headers {
		name, value, ok := strings.Cut(h, "=")
		if !ok || strings.TrimSpace(name) == "" {
			return nil, usageErrorf("--header %q: want NAME=VALUE", h)
		}
		if n.Headers == nil {
			n.Headers = map[string]string{}
		}
		if _, dup := n.Headers[name]; dup {
			return nil, usageErrorf("--header %s is given twice; RawNotification.Headers holds one value per name", name)
		}
		n.Headers[name] = value
	}
	return n, nil
}

// maxPayloadRead bounds what is read of a payload file: enough to report
// the size of any plausible mistake, never the whole of a huge one.
const maxPayloadRead = 1 << 20

func readPayloadFile(path string, stdin io.Reader) ([]byte, error) {
	r := stdin
	name := "standard input"
	if path != "-" {
		st, err := os.Stat(path)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usageErrorf("--payload-file %s: no such file; give the file that holds the notification's content, or - to read it from standard input", path)
		}
		if err != nil {
			return nil, usageErrorf("--payload-file: %w", err)
		}
		if !st.Mode().IsRegular() {
			return nil, usageErrorf("--payload-file %s is not a regular file", path)
		}
		if st.Size() > simulate.MaxPayloadBytes {
			return nil, usageErrorf("--payload-file %s is %d bytes, over WNS's %d-byte limit for a raw notification (HTTP 413); nothing was delivered",
				path, st.Size(), simulate.MaxPayloadBytes)
		}
		file, err := os.Open(path)
		if err != nil {
			return nil, usageErrorf("--payload-file: %w", err)
		}
		defer file.Close()
		r, name = file, path
	}
	data, err := io.ReadAll(io.LimitReader(r, maxPayloadRead+1))
	if err != nil {
		return nil, operationalError(fmt.Errorf("reading the payload from %s: %w", name, err))
	}
	if len(data) > maxPayloadRead {
		return nil, usageErrorf("the payload from %s is over 1 MiB, far over WNS's %d-byte limit for a raw notification (HTTP 413); nothing was delivered",
			name, simulate.MaxPayloadBytes)
	}
	return data, nil
}

// options builds the simulated state and the policy.
func (f *deliveryFlags) options(cmd *cobra.Command) (simulate.DeliveryOptions, error) {
	var opts simulate.DeliveryOptions
	switch state := simulate.AppState(f.AppState); state {
	case simulate.AppNotRunning, simulate.AppForeground:
		opts.AppState = state
	default:
		return opts, usageErrorf("unknown --app-state %q: not-running or foreground", f.AppState)
	}
	if f.ForegroundCancel && opts.AppState != simulate.AppForeground {
		return opts, usageErrorf("--foreground-cancel is what the running app's handler does: it needs --app-state foreground")
	}
	opts.ForegroundCancel = f.ForegroundCancel
	conds, err := simulate.ParseConditionState(f.States)
	if err != nil {
		return opts, usageErrorf("--state: %w", err)
	}
	opts.Conditions = conds
	switch {
	case f.LoseCondition != "" && f.LoseAfter <= 0:
		return opts, usageErrorf("--lose-condition needs --after DURATION: when the condition stops holding")
	case f.LoseCondition == "" && cmd.Flags().Changed("after"):
		return opts, usageErrorf("--after says when --lose-condition happens; give the condition too")
	case f.LoseCondition != "":
		c, err := tasks.ParseSystemConditionType(f.LoseCondition)
		if err != nil || !c.Valid() {
			return opts, usageErrorf("--lose-condition: %v", errOr(err, "Invalid is no condition"))
		}
		opts.LoseCondition, opts.LoseAfter = c, f.LoseAfter
	}
	pol, err := simulate.NamedPolicy(f.Policy)
	if err != nil {
		return opts, usageErrorf("--policy: %w", err)
	}
	// --timeout, --grace and --cpu-quota override the policy only when given.
	for _, o := range []struct {
		flag string
		v    time.Duration
		dst  *time.Duration
	}{{"timeout", f.Timeout, &pol.Timeout}, {"grace", f.Grace, &pol.Grace}, {"cpu-quota", f.CPUQuota, &pol.CPUQuota}} {
		if !cmd.Flags().Changed(o.flag) {
			continue
		}
		if o.v <= 0 {
			return opts, usageErrorf("--%s must be a positive duration such as 30s or 500ms", o.flag)
		}
		*o.dst = o.v
	}
	if f.Handshake <= 0 {
		return opts, usageErrorf("--handshake-timeout must be a positive duration such as 30s or 500ms")
	}
	pol.HandshakeTimeout = f.Handshake
	opts.Policy = pol
	if f.Repeat < 1 || f.Repeat > 1000 {
		return opts, usageErrorf("--repeat %d: give 1 to 1000 deliveries", f.Repeat)
	}
	opts.Repeat = f.Repeat
	return opts, nil
}

func errOr(err error, text string) error {
	if err != nil {
		return err
	}
	return errors.New(text)
}

// deliveryError classifies an error the broker returned before anything ran.
func deliveryError(err error) error {
	var pe *simulate.PayloadError
	if errors.As(err, &pe) {
		return usageError(fmt.Errorf("%w; nothing was delivered", err))
	}
	return registryError(err)
}

// exampleTarget is the plugin registrations made with --example run on.
func exampleTarget() simulate.Plugin {
	self, err := os.Executable()
	if err != nil {
		return simulate.Plugin{} // the broker then reports why such a registration cannot start
	}
	return simulate.Plugin{Path: self, Args: examplePluginArgs()}
}

// deliveryExit maps a delivery report to the exit code: 3 when nothing ran
// (dropped, or every registration waiting), 1 when an instance did not
// complete, 0 otherwise (also when the foreground app handled it).
func deliveryExit(rep *simulate.Report) error {
	switch rep.Disposition {
	case simulate.DispositionDropped, simulate.DispositionWaiting:
		return silentExit(ExitNotDelivered)
	}
	if !rep.AllCompleted() {
		return silentExit(ExitFailure)
	}
	return nil
}
