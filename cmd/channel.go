package cmd

import (
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/internal/app"
	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/wns"
)

// DefaultServeListen is where `bgtask serve` listens unless told otherwise;
// channel URIs printed without a running serve point there.
const DefaultServeListen = "127.0.0.1:8443"

// wnsStore is the WNS state (credentials, channels, CA) of the app: in its
// state folder, beside the task registry.
func wnsStore(g *Globals) wns.Store {
	return wns.Store{Dir: filepath.Dir(g.RegistryPath())}
}

// wnsStateError classifies errors from the WNS state: a corrupt file is
// invalid input (exit 2), anything else an operational failure (exit 4).
func wnsStateError(err error) error {
	if errors.Is(err, wns.ErrCorrupt) {
		return usageError(err)
	}
	return operationalError(err)
}

// channelServerFlag is --server: the serve that channel URIs point at.
type channelServerFlag struct{ server string }

func (f *channelServerFlag) add(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.server, "server", "https://"+DefaultServeListen,
		"the bgtask serve the URIs point at (scheme://host[:port]); use https://cloud.notify.windows.com with a hosts-file entry for clients that check the domain")
}

func (f *channelServerFlag) base() (string, error) {
	u, err := url.Parse(f.server)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return "", usageErrorf("--server %s: want scheme://host[:port], such as https://%s", safetext.Escape(f.server), DefaultServeListen)
	}
	return u.Scheme + "://" + u.Host, nil
}

// NewCmdChannel builds `bgtask channel new|list`.
func NewCmdChannel(g *Globals) *cobra.Command {
	cmd := &cobra.Command{
		Use:   "channel",
		Short: "Create and list channel URIs for bgtask serve",
		Long: `A channel URI is where an app server sends the app's raw notifications, as
PushNotificationChannelManager.CreatePushNotificationChannelForApplicationAsync hands one
to the app on Windows. bgtask keeps the app's channels in its state folder (.bgtask/wns.json,
beside the registry); bgtask serve accepts notifications sent to them. A channel expires
after 30 days, as WNS channels do; a send to an expired one is answered 410.`,
		Args: cobra.NoArgs,
	}
	cmd.AddCommand(newCmdChannelNew(g), newCmdChannelList(g))
	return cmd
}

func newCmdChannelNew(g *Globals) *cobra.Command {
	var (
		server   channelServerFlag
		expires  time.Duration
		clientID string
		asJSON   bool
	)
	cmd := &cobra.Command{
		Use:   "new",
		Short: "Create a channel URI and print it",
		Example: `  bgtask channel new
  bgtask channel new --expires 1h --json`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			base, err := server.base()
			if err != nil {
				return err
			}
			if expires <= 0 {
				return usageErrorf("--expires %v: a channel lifetime must be positive", expires)
			}
			ctx, cancel, err := withLockWait(cmd.Context(), g)
			if err != nil {
				return err
			}
			defer cancel()
			ch, err := wnsStore(g).NewChannel(ctx, clientID, expires, time.Now())
			if err != nil {
				return wnsStateError(err)
			}
			g.noteChange("the channel was saved in %s", wnsStore(g).Path())
			if asJSON {
				err = writeJSON(g.IO.Out, struct {
					Version int             `json:"version"`
					Channel wns.ChannelView `json:"channel"`
				}{jsonVersion, ch.View(base, time.Now())})
			} else {
				_, err = fmt.Fprintln(g.IO.Out, ch.URI(base))
			}
			if err != nil {
				return err
			}
			if !asJSON {
				fmt.Fprintf(g.IO.ErrOut, "expires %s; send to it through bgtask serve\n", ch.Expires.Format(time.RFC3339))
			}
			// Outside any app the state went into a new .bgtask here, which
			// makes this folder an app folder for later commands: say so.
			if g.outsideApp() {
				fmt.Fprintf(g.IO.ErrOut, "note: no app folder (%s or %s) in this folder or above it, so the channel went into %s, which makes this an app folder for later commands; run bgtask channel new in the app's folder instead\n",
					DefaultManifest, app.StateDir, safetext.Escape(wnsStore(g).Path()))
			}
			return nil
		},
	}
	server.add(cmd)
	cmd.Flags().DurationVar(&expires, "expires", wns.DefaultChannelLifetime, "how long the channel lives (WNS channels live 30 days)")
	cmd.Flags().StringVar(&clientID, "client-id", "", "the app (Package SID) the channel belongs to; default the state's own (bgtask serve prints it)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the channel as JSON")
	return cmd
}

func newCmdChannelList(g *Globals) *cobra.Command {
	var (
		server channelServerFlag
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "list",
		Short: "List the app's channel URIs",
		Args:  cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			base, err := server.base()
			if err != nil {
				return err
			}
			st, err := wnsStore(g).Load()
			if err != nil {
				return wnsStateError(err)
			}
			now := time.Now()
			list := wns.NewChannelList(st.Channels, base, now)
			if asJSON {
				return writeJSON(g.IO.Out, list)
			}
			if len(list.Channels) == 0 {
				_, err := fmt.Fprintf(g.IO.Out, "no channels in %s; create one with bgtask channel new\n", safetext.Escape(wnsStore(g).Path()))
				return err
			}
			p := g.OutPalette()
			t := &table{header: []string{"URI", "EXPIRES", "STATE", "APP"}}
			for _, c := range list.Channels {
				state := "active"
				if c.Expired {
					state = "expired"
				}
				t.rows = append(t.rows, []string{c.URI, c.Expires, state, safetext.Escape(c.ClientID)})
			}
			return t.write(g.IO.Out, func(s string) string { return p.Faint(s) }, func(col int, s string) string {
				if col == 2 && strings.TrimSpace(s) == "expired" {
					return p.Yellow(s)
				}
				return s
			})
		},
	}
	server.add(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the channels as JSON")
	return cmd
}
