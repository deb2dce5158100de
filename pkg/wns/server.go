package wns

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/time/rate"
)

// Defaults of Config.
const (
	// DefaultRate and DefaultBurst are the per-channel throttle: a channel
	// accepts DefaultBurst notifications at once, then DefaultRate a
	// second; more are answered 406 with Retry-After. WNS does not publish
	// its limits; these are bgtask's, low enough that a runaway loop shows.
	DefaultRate  = 20
	DefaultBurst = 100
	// DefaultQueue is how many accepted notifications may wait for the
	// broker; one more is answered 503 with Retry-After.
	DefaultQueue = 256
	// DefaultGrace is how long Serve lets running deliveries finish after
	// it was asked to stop.
	DefaultGrace = 10 * time.Second
)

// HTTP timeouts: a client that sends its request slowly, or never reads
// the answer, holds a connection only this long.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 15 * time.Second
	idleTimeout       = 90 * time.Second
	maxHeaderBytes    = 16 << 10
)

// Notification is an accepted raw notification on its way to the device.
type Notification struct {
	MsgID    string
	Channel  Channel
	Payload  []byte
	Received time.Time
	// Expires is when X-WNS-TTL runs out; zero when none was given.
	Expires  time.Time
	Priority int
	// Cached: it waited in the cache of an offline device.
	Cached bool
	// Queued is when it entered the delivery queue (for a cached one, when
	// the device came online), on the clock the task side times its
	// instances with.
	Queued time.Time

	// announced is closed once the send's request event is out: the worker
	// may take the notification before its handler has answered, and its
	// events (started, dropped, expired) must not come before the request's.
	// Nil for a notification no request announces.
	announced chan struct{}
	// nextWaiting reports whether another notification waits in the
	// delivery queue behind this one (BrokerDeliverer.Prestart); nil
	// outside the worker.
	nextWaiting func() bool
}

// waitAnnounced waits for the request event of n (at most until its
// handler returns, which closes announced on every path).
func (n Notification) waitAnnounced() {
	if n.announced != nil {
		<-n.announced
	}
}

func (n Notification) expired(now time.Time) bool {
	return !n.Expires.IsZero() && !now.Before(n.Expires)
}

// Deliverer hands a notification to the task side (the push broker) and
// returns when what it started has ended or ctx is done. It may report
// what happened through emit (EventDelivery, EventInstance).
type Deliverer interface {
	Deliver(ctx context.Context, n Notification, emit func(Event))
}

// Triggerer is what a Deliverer may also do: list the registrations and
// fire one by hand (the inbox's trigger buttons), as bgtask trigger does.
type Triggerer interface {
	Registrations() ([]RegistrationInfo, error)
	Trigger(ctx context.Context, msgID, name string, payload []byte, emit func(Event))
}

// RegistrationInfo is one registration as the inbox lists it.
type RegistrationInfo struct {
	Name       string `json:"name"`
	EntryPoint string `json:"entryPoint"`
	Trigger    string `json:"trigger"`
	Push       bool   `json:"push"`
}

// Config is how a Server behaves. Zero fields take their defaults.
type Config struct {
	Store Store
	// ClientID and ClientSecret replace the state's credentials for this
	// run; empty means the state's.
	ClientID, ClientSecret string
	// BaseURL is the server's scheme://host:port, used in channel URIs.
	BaseURL string
	// Hosts are the host names (without port) that the control API answers
	// to, besides the loopback names: a page that rebinds its own domain to
	// 127.0.0.1 must not read the channels.
	Hosts     []string
	Deliverer Deliverer
	// Events receives every Event, in order, on one goroutine; Flush, when
	// set, is called on it whenever no event is waiting.
	Events  func(Event)
	Flush   func()
	Offline bool
	// Rate (notifications a second, rate.Inf for no limit) and Burst are
	// the per-channel throttle.
	Rate  rate.Limit
	Burst int
	Queue int
	// NoUI turns the web inbox (at /) off.
	NoUI bool
	// History is how many events and notifications the read API keeps.
	History         int
	ChannelLifetime time.Duration
	Now             func() time.Time
}

// Server is a running local WNS. Create it with New, serve its Handler (or
// call Serve), and stop it with Shutdown.
type Server struct {
	cfg      Config
	clientID string
	secret   string
	tokenKey []byte

	mu        sync.Mutex
	state     *State
	stateStat os.FileInfo
	limiters  map[string]*rate.Limiter
	online    bool
	cache     map[string]Notification // by channel token

	queue      chan Notification
	stop       chan struct{}
	stopping   atomic.Bool
	workerDone chan struct{}
	deliverCtx context.Context
	cancel     context.CancelFunc
	events     *emitter
	terminal   *emitter // the caller's sink (Config.Events), behind events
	// runID tells this run's event ids from an earlier run's (handleStream).
	runID   string
	history *history
	// triggering holds the one hand-fired trigger that may run at a time;
	// triggers waits for it, and for a flush of the cache, at shutdown.
	triggering chan struct{}
	triggers   sync.WaitGroup
	shutdown   sync.Once
}

// New reads (or creates) the state's credentials and starts the delivery
// worker.
func New(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Rate == 0 {
		cfg.Rate = DefaultRate
	}
	if cfg.Burst <= 0 {
		cfg.Burst = DefaultBurst
	}
	if cfg.Queue <= 0 {
		cfg.Queue = DefaultQueue
	}
	if cfg.ChannelLifetime <= 0 {
		cfg.ChannelLifetime = DefaultChannelLifetime
	}
	st, err := cfg.Store.Init(ctx)
	if err != nil {
		return nil, err
	}
	s := &Server{
		cfg:        cfg,
		clientID:   st.ClientID,
		secret:     st.ClientSecret,
		tokenKey:   st.TokenKey,
		state:      st,
		limiters:   map[string]*rate.Limiter{},
		online:     !cfg.Offline,
		cache:      map[string]Notification{},
		queue:      make(chan Notification, cfg.Queue),
		stop:       make(chan struct{}),
		workerDone: make(chan struct{}),
		history:    newHistory(cfg.History),
		runID:      newRunID(),
		triggering: make(chan struct{}, 1),
	}
	// The history numbers the events, on the emitter's one goroutine, so
	// the numbers are in the order the sink sees them. The caller's sink
	// (the terminal) has a stage of its own: a terminal or pipe that stops
	// reading must cost the terminal its events, not the read API, the
	// inbox and the stream theirs (nor stall serve's stop).
	if cfg.Events != nil {
		s.terminal = newEmitter(cfg.Events, cfg.Flush)
	}
	s.events = newEmitter(func(ev Event) {
		s.history.add(&ev)
		if s.terminal != nil {
			s.terminal.emit(ev)
		}
	}, nil)
	if cfg.ClientID != "" {
		s.clientID = cfg.ClientID
	}
	if cfg.ClientSecret != "" {
		s.secret = cfg.ClientSecret
	}
	s.stateStat, _ = os.Stat(cfg.Store.Path())
	// Deliveries outlive the request that caused them, and the signal that
	// stops serve: Shutdown cancels them only after the grace period.
	s.deliverCtx, s.cancel = context.WithCancel(context.WithoutCancel(ctx))
	go s.worker()
	return s, nil
}

// ClientID and ClientSecret are the credentials the token endpoint accepts.
func (s *Server) ClientID() string     { return s.clientID }
func (s *Server) ClientSecret() string { return s.secret }

// FirstChannel returns the newest unexpired channel of the server's app,
// creating one when there is none: serve prints it when ready.
func (s *Server) FirstChannel(ctx context.Context) (Channel, error) {
	s.mu.Lock()
	ch, ok := s.state.Current(s.clientID, s.cfg.Now())
	s.mu.Unlock()
	if ok {
		return ch, nil
	}
	return s.NewChannel(ctx)
}

// NewChannel creates a channel for the server's app and saves it.
func (s *Server) NewChannel(ctx context.Context) (Channel, error) {
	ch, err := s.cfg.Store.NewChannel(ctx, s.clientID, s.cfg.ChannelLifetime, s.cfg.Now())
	if err != nil {
		return Channel{}, err
	}
	s.reloadState(true)
	return ch, nil
}

// channel finds a channel by token. Channels made by `bgtask channel new`
// while serve runs are found by reading the state file again when it has
// changed.
func (s *Server) channel(token string) (Channel, bool) {
	s.mu.Lock()
	ch, ok := s.state.Find(token)
	s.mu.Unlock()
	if ok {
		return ch, true
	}
	if !s.reloadState(false) {
		return Channel{}, false
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.state.Find(token)
}

// reloadState reads the state file again if it changed (or always, with
// force) and reports whether it did. A file that became unreadable keeps
// the channels known so far.
func (s *Server) reloadState(force bool) bool {
	info, err := os.Stat(s.cfg.Store.Path())
	if err != nil {
		return false
	}
	s.mu.Lock()
	old := s.stateStat
	s.mu.Unlock()
	if !force && old != nil && info.ModTime().Equal(old.ModTime()) && info.Size() == old.Size() {
		return false
	}
	st, err := s.cfg.Store.Load()
	if err != nil {
		return false
	}
	s.mu.Lock()
	s.state, s.stateStat = st, info
	s.mu.Unlock()
	return true
}

// Channels lists the state's channels.
func (s *Server) Channels() []Channel {
	s.reloadState(false)
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Channel(nil), s.state.Channels...)
}

func (s *Server) emit(ev Event) {
	if ev.Time.IsZero() {
		ev.Time = s.cfg.Now().UTC()
	}
	s.events.emit(ev)
}

// limiter is the throttle of one channel.
func (s *Server) limiter(token string) *rate.Limiter {
	s.mu.Lock()
	defer s.mu.Unlock()
	l, ok := s.limiters[token]
	if !ok {
		l = rate.NewLimiter(s.cfg.Rate, s.cfg.Burst)
		s.limiters[token] = l
	}
	return l
}

// throttle returns a 406 refusal when the channel is over its rate.
func (s *Server) throttle(token string) *wnsError {
	l := s.limiter(token)
	now := s.cfg.Now()
	if l.AllowN(now, 1) {
		return nil
	}
	r := l.ReserveN(now, 1)
	wait := r.DelayFrom(now)
	r.CancelAt(now)
	e := refuse(http.StatusNotAcceptable, "the channel is throttled: more than %v notifications a second; retry after %v", float64(s.cfg.Rate), wait.Round(time.Millisecond))
	e.notificationStatus = StatusChannelThrottled
	e.retryAfter = wait
	return e
}

// Online reports whether the simulated device is online.
func (s *Server) Online() bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.online
}

// SetOnline switches the simulated device. Going online delivers the
// cached notifications that have not expired.
func (s *Server) SetOnline(online bool) {
	s.mu.Lock()
	changed := s.online != online
	s.online = online
	var flush []Notification
	if online {
		for token, n := range s.cache {
			flush = append(flush, n)
			delete(s.cache, token)
		}
	}
	s.mu.Unlock()
	if !changed {
		return
	}
	s.emit(Event{Kind: EventDevice, Online: &online})
	if len(flush) == 0 {
		return
	}
	// The cached notifications go to the queue on a goroutine of their own:
	// a full queue makes them wait for room (going online must deliver them,
	// not refuse them), and the caller (the inbox's PUT) must be answered
	// meanwhile; it timed out with no answer. Shutdown waits for it.
	s.triggers.Add(1)
	go func() {
		defer s.triggers.Done()
		now := s.cfg.Now()
		for _, n := range flush {
			if n.expired(now) {
				s.emit(Event{Kind: EventExpired, MsgID: n.MsgID, Channel: n.Channel.Token, Reason: "its X-WNS-TTL passed while the device was offline"})
				continue
			}
			n.Queued = time.Now()
			select {
			case s.queue <- n:
			case <-s.stop:
				s.emit(Event{Kind: EventDropped, MsgID: n.MsgID, Channel: n.Channel.Token, Reason: "serve is stopping"})
			}
		}
	}()
}

// Cached returns the notifications waiting for the device.
func (s *Server) Cached() []Notification {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Notification, 0, len(s.cache))
	for _, n := range s.cache {
		out = append(out, n)
	}
	return out
}

// keep caches n for its channel while the device is offline; only the
// newest raw notification is kept (windows-facts.md §5, "Offline"): the one
// it replaced is returned. kept is false when the device came online
// meanwhile. A notification with an X-WNS-TTL expires from the cache when
// the TTL passes (expireCached), not only when the device comes back.
func (s *Server) keep(n Notification) (kept bool, replaced *Notification) {
	s.mu.Lock()
	if s.online {
		s.mu.Unlock()
		return false, nil
	}
	if old, ok := s.cache[n.Channel.Token]; ok {
		replaced = &old
	}
	s.cache[n.Channel.Token] = n
	s.mu.Unlock()
	if !n.Expires.IsZero() {
		time.AfterFunc(max(n.Expires.Sub(s.cfg.Now()), 0), func() { s.expireCached(n) })
	}
	return true, replaced
}

// expireCached removes n from the cache once its TTL has passed, if it is
// still there (not delivered, replaced or expired already).
func (s *Server) expireCached(n Notification) {
	s.mu.Lock()
	cur, ok := s.cache[n.Channel.Token]
	expired := ok && cur.MsgID == n.MsgID && cur.expired(s.cfg.Now())
	if expired {
		delete(s.cache, n.Channel.Token)
	}
	s.mu.Unlock()
	if expired {
		s.emit(Event{Kind: EventExpired, MsgID: n.MsgID, Channel: n.Channel.Token, Reason: "its X-WNS-TTL passed while the device was offline"})
	}
}

// enqueue hands n to the delivery worker without waiting; false means the
// queue is full or serve is stopping.
func (s *Server) enqueue(n Notification) bool {
	if s.stopping.Load() {
		return false
	}
	n.Queued = time.Now()
	select {
	case s.queue <- n:
	default:
		return false
	}
	if d, ok := s.cfg.Deliverer.(interface{ Waiting() }); ok {
		// A delivery running now may start this one's process ahead.
		d.Waiting()
	}
	return true
}

// worker delivers queued notifications one at a time, in the order they
// were accepted: the broker runs one push task per app at a time anyway.
func (s *Server) worker() {
	defer close(s.workerDone)
	// lastDone is when the last delivery ended: a notification queued
	// after it found the worker idle and did not wait, so its TTL (even
	// X-WNS-TTL: 0, "deliver at once or not at all") has not passed in the
	// queue, however many microseconds the hand-over took.
	var lastDone time.Time
	for {
		select {
		case <-s.stop:
			s.dropQueued()
			return
		case n := <-s.queue:
			s.handle(n, &lastDone)
			if len(s.queue) == 0 {
				if d, ok := s.cfg.Deliverer.(interface{ Idle() }); ok {
					// Whatever the last notification became (delivered,
					// expired, one with no task to run), nothing follows it:
					// a plugin process started ahead for it is not needed.
					d.Idle()
				}
			}
		}
	}
}

// handle delivers one queued notification, or says why it is not.
func (s *Server) handle(n Notification, lastDone *time.Time) {
	n.waitAnnounced()
	if s.stopping.Load() {
		s.emit(Event{Kind: EventDropped, MsgID: n.MsgID, Channel: n.Channel.Token, Reason: "serve is stopping"})
		return
	}
	if n.Queued.Before(*lastDone) && n.expired(s.cfg.Now()) {
		s.emit(Event{Kind: EventExpired, MsgID: n.MsgID, Channel: n.Channel.Token, Reason: "its X-WNS-TTL passed while it waited in the queue"})
		return
	}
	if s.cfg.Deliverer != nil {
		n.nextWaiting = s.nextWaiting
		s.cfg.Deliverer.Deliver(s.deliverCtx, n, s.emit)
	}
	*lastDone = time.Now()
}

// nextWaiting reports whether a notification waits in the delivery queue
// for the worker, which is delivering another.
func (s *Server) nextWaiting() bool {
	return len(s.queue) > 0 && !s.stopping.Load()
}

func (s *Server) dropQueued() {
	for {
		select {
		case n := <-s.queue:
			n.waitAnnounced()
			s.emit(Event{Kind: EventDropped, MsgID: n.MsgID, Channel: n.Channel.Token, Reason: "serve is stopping"})
		default:
			return
		}
	}
}

// Shutdown stops accepting notifications, drops the queued ones, lets the
// running delivery finish until ctx is done, then cancels it (the broker
// cancels and kills its task instances) and waits for it. It flushes the
// events before returning.
func (s *Server) Shutdown(ctx context.Context) {
	s.shutdown.Do(func() {
		s.emit(Event{Kind: EventStopping})
		s.stopping.Store(true)
		close(s.stop)
		idle := make(chan struct{})
		go func() {
			<-s.workerDone
			s.triggers.Wait()
			close(idle)
		}()
		select {
		case <-idle:
		case <-ctx.Done():
			s.cancel()
			<-idle
		}
		s.cancel()
		if c, ok := s.cfg.Deliverer.(interface{ Close() }); ok {
			// What it started ahead for the queue it will not deliver.
			c.Close()
		}
		s.events.close()
		s.history.closeAll()
		if s.terminal != nil {
			// Its last events (the cancelled delivery's end, what the queue
			// dropped) are what the user stopped serve to see: written,
			// unless the terminal has stopped reading. The grace bounds
			// that wait while it lasts; once it is over (0, or spent on the
			// tasks) the events get lastEventsWait of their own, which a
			// sink that reads never needs.
			drain := ctx
			if ctx.Err() != nil {
				var cancel context.CancelFunc
				drain, cancel = context.WithTimeout(context.Background(), lastEventsWait)
				defer cancel()
			}
			s.terminal.closeUntil(drain)
		}
	})
}

// lastEventsWait bounds the wait for the caller's sink to take serve's last
// events once the grace is over.
const lastEventsWait = time.Second

// httpShutdownGrace is the least time requests in flight get to be
// answered when serve stops.
const httpShutdownGrace = time.Second

// ServeOptions are how Serve listens.
type ServeOptions struct {
	// TLS is the server certificate; nil serves plain HTTP.
	TLS *tls.Certificate
	// Grace bounds the wait for running deliveries when ctx is done; then
	// they are cancelled (their tasks get the cancel and the policy's
	// grace to finish). 0 cancels them at once.
	Grace time.Duration
	// Ready is called once the listener accepts connections.
	Ready func()
	// Force, when it closes, cuts the grace period short (a second Ctrl-C).
	Force <-chan struct{}
}

// Serve answers on ln until ctx is done, then shuts down gracefully: it
// stops accepting connections, finishes the requests in flight, lets the
// running delivery finish within opts.Grace, and returns nil.
func (s *Server) Serve(ctx context.Context, ln net.Listener, opts ServeOptions) error {
	// A grace of 0 cancels the running delivery at once (--shutdown-grace
	// 0); it used to mean the default 10 s.
	opts.Grace = max(opts.Grace, 0)
	srv := &http.Server{
		Handler:           s.Handler(),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    maxHeaderBytes,
		ErrorLog:          discardLogger(),
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	if opts.TLS != nil {
		srv.TLSConfig = &tls.Config{Certificates: []tls.Certificate{*opts.TLS}, MinVersion: tls.VersionTLS12}
		ln = tls.NewListener(ln, srv.TLSConfig)
	}
	// Event streams never end by themselves: end them when shutdown
	// begins, or it would wait for them until the grace period is over.
	srv.RegisterOnShutdown(s.history.closeAll)
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	if opts.Ready != nil {
		opts.Ready()
	}
	var serveErr error
	select {
	case <-ctx.Done():
	case serveErr = <-errc:
	}
	graceCtx, cancel := context.WithTimeout(context.Background(), opts.Grace)
	defer cancel()
	if opts.Force != nil {
		go func() {
			select {
			case <-opts.Force:
				cancel()
			case <-graceCtx.Done():
			}
		}()
	}
	// Requests in flight are answered even with no grace for the tasks:
	// they take milliseconds, and a cut connection tells a client nothing.
	httpCtx, cancelHTTP := context.WithTimeout(context.Background(), max(opts.Grace, httpShutdownGrace))
	defer cancelHTTP()
	if err := srv.Shutdown(httpCtx); err != nil {
		_ = srv.Close()
	}
	s.Shutdown(graceCtx)
	if serveErr != nil && !errors.Is(serveErr, http.ErrServerClosed) {
		return fmt.Errorf("serving: %w", serveErr)
	}
	return nil
}

// newRunID is a short random id of this run of serve.
func newRunID() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
