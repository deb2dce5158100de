package cmd

import (
	"bufio"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/time/rate"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/internal/shutdown"
	"github.com/bgtask/bgtask/pkg/wns"
)

// ServeOptions are serve's flags.
type ServeOptions struct {
	Listen        string
	BaseURL       string
	TLSCert       string
	TLSKey        string
	PlainHTTP     bool
	ClientID      string
	ClientSecret  string
	Device        string
	Rate          float64
	Burst         int
	Queue         int
	ShutdownGrace time.Duration
	ReadyFile     string
	History       int
	NoUI          bool
	JSON          bool
	delivery      serveDelivery
}

// NewCmdServe builds `bgtask serve`: a local WNS.
func NewCmdServe(g *Globals) *cobra.Command {
	opts := &ServeOptions{}
	cmd := &cobra.Command{
		Use:   "serve [flags]",
		Short: "Run a local WNS that app servers can send raw notifications to",
		Long: `Serve is a local stand-in for the Windows Push Notification Services (WNS), as Mailpit
is for SMTP: an app server gets a token from it as from login.live.com and POSTs raw
notifications to a channel URI, with WNS's headers, rules and status codes. Each accepted
notification is answered at once and delivered to the app's push-triggered registrations,
as bgtask push delivers one.

It serves HTTPS with a certificate from a local certificate authority that bgtask creates
once in the app's state folder (.bgtask/wns-ca.pem); trust it in the client with
NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, REQUESTS_CA_BUNDLE or curl --cacert. The certificate also
covers login.live.com and *.notify.windows.com, so a client that hard-codes those names works
unmodified once its DNS points them at serve (a hosts-file entry).

When it is listening it prints the address and a channel URI on one line each (and writes
--ready-file), then one line per request and delivery (--json: one JSON object per line,
docs/json.md). Its address in a browser is a live inbox of what arrived and what it caused
(--no-ui turns it off); /api/v1/ serves the same as JSON for scripts. Ctrl-C or SIGTERM stops accepting, lets running tasks finish within
--shutdown-grace, then cancels them (Abort) and gives them --grace before it kills them, and
exits 0. See docs/serve.md.`,
		Example: `  bgtask serve
  bgtask serve --device offline --json
  bgtask serve --listen 127.0.0.1:443 --base-url https://cloud.notify.windows.com`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd, g, opts) },
	}
	f := cmd.Flags()
	f.StringVar(&opts.Listen, "listen", DefaultServeListen, "address to listen on; loopback unless you name another (a warning is printed)")
	f.StringVar(&opts.BaseURL, "base-url", "", "scheme://host[:port] of channel URIs (default: the listening address)")
	f.StringVar(&opts.TLSCert, "tls-cert", "", "serve this certificate (PEM) instead of one from the local CA; needs --tls-key")
	f.StringVar(&opts.TLSKey, "tls-key", "", "the private key (PEM) of --tls-cert")
	f.BoolVar(&opts.PlainHTTP, "plain-http", false, "serve plain HTTP instead of HTTPS")
	f.StringVar(&opts.ClientID, "client-id", "", "the client_id the token endpoint accepts (default: the one kept in the state folder)")
	f.StringVar(&opts.ClientSecret, "client-secret", "", "the client_secret the token endpoint accepts (default: the one kept in the state folder)")
	f.StringVar(&opts.Device, "device", "online", "the simulated device at start: online or offline")
	f.Float64Var(&opts.Rate, "rate", wns.DefaultRate, "notifications a second one channel accepts before 406 (0: no limit)")
	f.IntVar(&opts.Burst, "burst", wns.DefaultBurst, "notifications one channel accepts at once before the rate applies")
	f.IntVar(&opts.Queue, "queue", wns.DefaultQueue, "accepted notifications that may wait for their tasks; more are answered 503")
	f.DurationVar(&opts.ShutdownGrace, "shutdown-grace", wns.DefaultGrace, "on Ctrl-C or SIGTERM, how long running tasks may take to finish before they are cancelled (0: cancel at once); a cancelled task then has --grace to stop")
	f.StringVar(&opts.ReadyFile, "ready-file", "", "write the ready event (JSON: url, channel, ca, credentials) to this file once listening")
	f.IntVar(&opts.History, "history", wns.DefaultHistory, "events and notifications the read API (/api/v1/events, /api/v1/messages, /api/v1/stream) keeps")
	f.BoolVar(&opts.NoUI, "no-ui", false, "turn off the web inbox at the server's root")
	f.BoolVar(&opts.JSON, "json", false, "log one JSON object per line (docs/json.md)")
	opts.delivery.addFlags(cmd)
	return cmd
}

// serveReady is the first event: what a client needs to talk to serve.
type serveReady struct {
	Version      int    `json:"version"`
	Time         string `json:"time"`
	Event        string `json:"event"`
	URL          string `json:"url"`
	ChannelURI   string `json:"channelUri"`
	CA           string `json:"ca,omitempty"`
	ClientID     string `json:"clientId"`
	ClientSecret string `json:"clientSecret"`
	Device       string `json:"device"`
	StateDir     string `json:"stateDir"`
	Inbox        string `json:"inbox,omitempty"`
}

// serveEvent is one later event as a JSON line.
type serveEvent struct {
	Version int `json:"version"`
	wns.Event
}

func runServe(cmd *cobra.Command, g *Globals, opts *ServeOptions) error {
	ctx := cmd.Context()
	if err := opts.validate(); err != nil {
		return err
	}
	// serve runs until it is stopped: Ctrl-C and SIGTERM are its normal end
	// (exit 0), and bgtask waits for its graceful shutdown; a second signal
	// cuts the grace period short.
	defer shutdown.Hold(ctx)()
	shutdown.NormalStop(ctx)
	deliverer, err := opts.delivery.deliverer(cmd, g)
	if err != nil {
		return err
	}
	store := wnsStore(g)
	if opts.ReadyFile != "" {
		// A ready file left by an earlier run must not look like this one's.
		if err := os.Remove(opts.ReadyFile); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return operationalError(fmt.Errorf("removing the old --ready-file: %w", err))
		}
	}
	host, _, _ := net.SplitHostPort(opts.Listen)
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		fmt.Fprintf(g.IO.ErrOut, "%s serve listens on %s, which is not loopback: other machines can reach it; bgtask serve is for local development only\n",
			g.ErrPalette().Yellow("warning:"), safetext.Escape(opts.Listen))
	}
	var cert *tls.Certificate
	var caPath string
	scheme := "https"
	switch {
	case opts.PlainHTTP:
		scheme = "http"
	case opts.TLSCert != "":
		c, err := tls.LoadX509KeyPair(opts.TLSCert, opts.TLSKey)
		if err != nil {
			return usageErrorf("--tls-cert/--tls-key: %v", err)
		}
		cert = &c
	default:
		ca, err := store.CA(ctx)
		if err != nil {
			return wnsStateError(err)
		}
		caPath = ca.CertPath
	}
	ln, err := net.Listen("tcp", opts.Listen)
	if err != nil {
		hint := ""
		if strings.HasSuffix(opts.Listen, ":443") || strings.HasSuffix(opts.Listen, ":80") {
			hint = "; ports below 1024 need root (or CAP_NET_BIND_SERVICE) on Linux"
		}
		return operationalError(fmt.Errorf("listening on %s: %w%s", opts.Listen, err, hint))
	}
	base := opts.BaseURL
	if base == "" {
		base = baseURL(scheme, ln.Addr().(*net.TCPAddr))
	}
	baseHost := hostOf(base)
	if caPath != "" {
		ca, err := store.CA(ctx)
		if err != nil {
			ln.Close()
			return wnsStateError(err)
		}
		c, err := ca.ServerCertificate(host, baseHost)
		if err != nil {
			ln.Close()
			return operationalError(err)
		}
		cert = &c
	}

	// Buffered: under load, a burst of events is one write; wns flushes
	// whenever it has no event waiting, so a quiet log is never behind.
	out := &serveOutput{w: bufio.NewWriterSize(g.IO.Out, 32<<10), json: opts.JSON, pal: g.OutPalette()}
	lim := rate.Limit(opts.Rate)
	if opts.Rate == 0 {
		lim = rate.Inf
	}
	srv, err := wns.New(ctx, wns.Config{
		Store:        store,
		ClientID:     opts.ClientID,
		ClientSecret: opts.ClientSecret,
		BaseURL:      base,
		Hosts:        []string{host, baseHost},
		Deliverer:    deliverer,
		Events:       out.event,
		Flush:        out.flush,
		Offline:      opts.Device == "offline",
		Rate:         lim,
		Burst:        opts.Burst,
		Queue:        opts.Queue,
		History:      opts.History,
		NoUI:         opts.NoUI,
	})
	if err != nil {
		ln.Close()
		return wnsStateError(err)
	}
	ch, err := srv.FirstChannel(ctx)
	if err != nil {
		ln.Close()
		srv.Shutdown(context.Background())
		return wnsStateError(err)
	}
	ready := serveReady{
		Version: jsonVersion, Event: "ready", URL: base, ChannelURI: ch.URI(base), CA: caPath,
		ClientID: srv.ClientID(), ClientSecret: srv.ClientSecret(), Device: opts.Device, StateDir: store.Dir,
	}
	if !opts.NoUI {
		ready.Inbox = base + "/"
	}
	var readyErr error
	// A script waits for the ready file: when it cannot be written, serve
	// stops at once rather than serve on while the script times out.
	serveCtx, stopServing := context.WithCancel(ctx)
	defer stopServing()
	err = srv.Serve(serveCtx, ln, wns.ServeOptions{TLS: cert, Grace: opts.ShutdownGrace, Force: shutdown.Forced(ctx), Ready: func() {
		ready.Time = time.Now().UTC().Format(time.RFC3339Nano)
		out.ready(ready)
		if opts.ReadyFile != "" {
			data, _ := json.MarshalIndent(ready, "", "  ")
			// It holds the client secret: owner only, and a new file, never
			// one a link at that name points to (in a shared folder such
			// as /tmp, another user's link would be followed).
			if readyErr = fsutil.ReplaceFile(opts.ReadyFile, append(data, '\n'), 0o600); readyErr != nil {
				stopServing()
			}
		}
	}})
	if opts.ReadyFile != "" {
		_ = os.Remove(opts.ReadyFile)
	}
	if err != nil {
		return operationalError(err)
	}
	if readyErr != nil {
		return operationalError(fmt.Errorf("writing --ready-file: %w", readyErr))
	}
	return nil
}

// maxServeBuffer bounds --queue and --history, a thousand times their
// defaults.
const maxServeBuffer = 1 << 20

func (o *ServeOptions) validate() error {
	switch {
	case o.Device != "online" && o.Device != "offline":
		return usageErrorf("--device %s: use online or offline", safetext.Escape(o.Device))
	case o.PlainHTTP && (o.TLSCert != "" || o.TLSKey != ""):
		return usageErrorf("--plain-http and --tls-cert/--tls-key: choose one")
	case (o.TLSCert == "") != (o.TLSKey == ""):
		return usageErrorf("--tls-cert and --tls-key go together")
	case o.Rate < 0 || o.Burst < 1 || o.Queue < 1 || o.History < 1:
		return usageErrorf("--rate must be 0 or more, --burst, --queue and --history 1 or more")
	case o.Queue > maxServeBuffer || o.History > maxServeBuffer:
		// Both are allocated up front: a huge one is memory, not a setting.
		return usageErrorf("--queue and --history must be at most %d", maxServeBuffer)
	case o.ShutdownGrace < 0:
		return usageErrorf("--shutdown-grace must not be negative")
	}
	if _, port, err := net.SplitHostPort(o.Listen); err != nil {
		return usageErrorf("--listen %s: want host:port, such as %s", safetext.Escape(o.Listen), DefaultServeListen)
	} else if n, err := strconv.ParseUint(port, 10, 64); err == nil && n > 65535 {
		// A typo to say as one, not a failure to listen (exit 4).
		return usageErrorf("--listen %s: the port must be 0 to 65535 (0: any free port)", safetext.Escape(o.Listen))
	} else if _, err := net.LookupPort("tcp", port); err != nil {
		// A name that is no service (/etc/services; no network asked).
		return usageErrorf("--listen %s: %s is not a port: give a number, 0 to 65535 (0: any free port)", safetext.Escape(o.Listen), safetext.Escape(port))
	}
	if o.BaseURL != "" {
		f := channelServerFlag{server: o.BaseURL}
		b, err := f.base()
		if err != nil {
			return usageErrorf("--base-url %s: want scheme://host[:port]", safetext.Escape(o.BaseURL))
		}
		o.BaseURL = b
	}
	return nil
}

// baseURL names addr in URLs: an unspecified address (0.0.0.0, ::) as
// localhost, and the scheme's own port left out.
func baseURL(scheme string, addr *net.TCPAddr) string {
	host := addr.IP.String()
	if addr.IP.IsUnspecified() {
		host = "localhost"
	}
	if (scheme == "https" && addr.Port == 443) || (scheme == "http" && addr.Port == 80) {
		return scheme + "://" + hostForURL(host)
	}
	return scheme + "://" + net.JoinHostPort(host, strconv.Itoa(addr.Port))
}

func hostForURL(h string) string {
	if strings.Contains(h, ":") {
		return "[" + h + "]"
	}
	return h
}

func hostOf(base string) string {
	u, err := url.Parse(base)
	if err != nil {
		return ""
	}
	return u.Hostname()
}

// serveOutput renders serve's events: text lines for people, JSON lines
// for programs. Events come from wns's emitter goroutine, the ready lines
// from Serve's: the lock keeps lines whole.
type serveOutput struct {
	mu   sync.Mutex
	w    *bufio.Writer
	json bool
	pal  Palette
}

func (o *serveOutput) flush() {
	o.mu.Lock()
	defer o.mu.Unlock()
	_ = o.w.Flush()
}

func (o *serveOutput) ready(r serveReady) {
	o.mu.Lock()
	defer o.mu.Unlock()
	defer o.w.Flush()
	if o.json {
		o.line(r)
		return
	}
	fmt.Fprintf(o.w, "listening on %s\n", r.URL)
	fmt.Fprintf(o.w, "channel %s\n", r.ChannelURI)
	fmt.Fprintf(o.w, "  client_id     %s\n", safetext.Escape(r.ClientID))
	fmt.Fprintf(o.w, "  client_secret %s\n", safetext.Escape(r.ClientSecret))
	if r.CA != "" {
		fmt.Fprintf(o.w, "  CA            %s (trust it: NODE_EXTRA_CA_CERTS, SSL_CERT_FILE, REQUESTS_CA_BUNDLE, curl --cacert)\n", safetext.Escape(r.CA))
	}
	fmt.Fprintf(o.w, "  token         POST %s%s; device %s\n", r.URL, wns.TokenPath, r.Device)
	if r.Inbox != "" {
		fmt.Fprintf(o.w, "  inbox         %s\n", r.Inbox)
	}
}

func (o *serveOutput) line(v any) {
	data, err := json.Marshal(v)
	if err != nil {
		return
	}
	_, _ = o.w.Write(append(data, '\n'))
}

func (o *serveOutput) event(ev wns.Event) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.json {
		o.line(serveEvent{Version: jsonVersion, Event: ev})
		return
	}
	p := o.pal
	ts := p.Faint(ev.Time.Local().Format("15:04:05.000"))
	ch := shortToken(ev.Channel)
	var msg string
	switch ev.Kind {
	case wns.EventToken:
		msg = fmt.Sprintf("token    %s", statusText(p, ev.Status))
		if ev.Error != "" {
			msg += " " + safetext.Escape(ev.Error)
		}
	case wns.EventRequest:
		msg = fmt.Sprintf("%-8s %s", safetext.Escape(ev.Method), statusText(p, ev.Status))
		if ev.NotificationStatus != "" {
			msg += " " + ev.NotificationStatus
		}
		if ev.MsgID != "" {
			msg += " msg " + ev.MsgID
		}
		if ch != "" {
			msg += " channel " + ch
		}
		if ev.Size > 0 {
			msg += fmt.Sprintf(" %d bytes", ev.Size)
		}
		if ev.Error != "" {
			msg += ": " + safetext.Escape(ev.Error)
		}
		if ev.Reason != "" {
			msg += ": " + ev.Reason
		}
	case wns.EventDevice:
		state := "offline"
		if ev.Online != nil && *ev.Online {
			state = "online"
		}
		msg = "device   " + p.Bold(state)
	case wns.EventChannel:
		msg = "channel  created " + ch
	case wns.EventStopping:
		msg = "stopping: no new notifications; waiting for running tasks"
	default:
		msg = fmt.Sprintf("%-8s msg %s", ev.Kind, ev.MsgID)
		if ch != "" {
			msg += " channel " + ch
		}
		if ev.Reason != "" {
			msg += ": " + safetext.Escape(ev.Reason)
		}
		msg += o.deliveryText(ev)
	}
	fmt.Fprintf(o.w, "%s %s\n", ts, msg)
}

func statusText(p Palette, status int) string {
	s := strconv.Itoa(status)
	switch {
	case status == 200:
		return p.Green(s)
	case status == 406 || status == 503:
		return p.Yellow(s)
	default:
		return p.Red(s)
	}
}

// shortToken shows enough of a channel token to tell channels apart.
func shortToken(t string) string {
	if len(t) > 8 {
		return t[:8] + "…"
	}
	return t
}
