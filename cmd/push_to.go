package cmd

import (
	"context"
	"fmt"
	"strconv"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/wns"
)

// pushToJSON is `bgtask push --to … --json` (docs/json.md).
type pushToJSON struct {
	Version            int    `json:"version"`
	Channel            string `json:"channel"`
	Status             int    `json:"status"`
	NotificationStatus string `json:"notificationStatus"`
	MsgID              string `json:"msgId"`
	DeviceStatus       string `json:"deviceConnectionStatus,omitempty"`
	Error              string `json:"error,omitempty"`
	RetryAfter         string `json:"retryAfter,omitempty"`
}

// simulationFlags are push's flags that only the local broker uses: with
// --to, the running serve delivers with its own.
var simulationFlags = []string{"app-state", "foreground-cancel", "state", "lose-condition", "after", "policy", "timeout", "grace", "handshake-timeout", "repeat", "channel-id"}

// runPushTo sends the notification through a running bgtask serve, as an
// app server would: a token for the app's credentials (from the state
// folder), then a POST to the channel URI. --header entries become HTTP
// headers of the request (X-WNS-Cache-Policy=cache, X-WNS-TTL=60, ...).
func runPushTo(cmd *cobra.Command, g *Globals, opts *PushOptions) error {
	for _, name := range simulationFlags {
		if cmd.Flags().Changed(name) {
			return usageErrorf("--%s does not go with --to: the running serve delivers with its own settings (give --%s to bgtask serve)", name, name)
		}
	}
	if _, err := wns.TokenURL(opts.To); err != nil {
		return usageErrorf("--to: %v", err)
	}
	n, err := opts.notification(cmd, g.IO.In)
	if err != nil {
		return err
	}
	store := wnsStore(g)
	st, err := store.Load()
	if err != nil {
		return wnsStateError(err)
	}
	if st.ClientID == "" {
		return usageErrorf("%s has no credentials yet: start bgtask serve for this app first", safetext.Escape(store.Path()))
	}
	ca, err := store.ExistingCA()
	if err != nil {
		return wnsStateError(err)
	}
	ctx, cancel := context.WithCancel(cmd.Context())
	defer cancel()
	res, err := wns.NewClient(ca, st.ClientID, st.ClientSecret).SendRaw(ctx, opts.To, n.Payload, n.Headers)
	if err != nil {
		return operationalError(fmt.Errorf("%w\n  is bgtask serve running for this app?", err))
	}
	if opts.JSON {
		err = writeJSON(g.IO.Out, pushToJSON{Version: jsonVersion, Channel: opts.To, Status: res.Status, NotificationStatus: res.NotificationStatus,
			MsgID: res.MsgID, DeviceStatus: res.DeviceStatus, Error: res.ErrorDescription, RetryAfter: res.RetryAfter})
	} else {
		p := g.OutPalette()
		line := strconv.Itoa(res.Status)
		if res.NotificationStatus != "" {
			line += " " + safetext.Escape(res.NotificationStatus)
		}
		if res.Status == 200 && res.NotificationStatus == wns.StatusReceived {
			line = p.Green(line)
		} else {
			line = p.Red(line)
		}
		_, err = fmt.Fprintf(g.IO.Out, "sent: %s (X-WNS-Msg-ID %s)\n", line, safetext.Escape(res.MsgID))
		if err == nil && res.ErrorDescription != "" {
			_, err = fmt.Fprintf(g.IO.Out, "  %s\n", safetext.Escape(res.ErrorDescription))
		}
	}
	if err != nil {
		return err
	}
	return pushToExit(res)
}

// pushToExit maps serve's answer to push's exit codes: received 0; dropped
// by an offline device 3 (nothing delivered); a refusal of the request (a
// bad header, token, channel or size) 2; throttled, a full queue or a
// server error 4 (the input was fine, try again).
func pushToExit(res wns.SendResult) error {
	switch {
	case res.Status == 200 && res.NotificationStatus == wns.StatusReceived:
		return nil
	case res.Status == 200:
		return silentExit(ExitNotDelivered)
	case res.Status == 406 || res.Status >= 500:
		return silentExit(ExitOperational)
	default:
		return silentExit(ExitUsage)
	}
}
