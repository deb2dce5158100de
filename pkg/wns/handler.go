package wns

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// TokenPath is the token endpoint of login.live.com (windows-facts.md §6).
const TokenPath = "/accesstoken.srf"

// Scope is the only scope the token endpoint grants.
const Scope = "notify.windows.com"

// Handler answers the token endpoint, channel URIs (any host, path / or
// /w/, ?token=…) and the control API under /api/v1/.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(TokenPath, s.handleToken)
	mux.Handle("/api/v1/", s.apiHandler())
	if !s.cfg.NoUI {
		mux.HandleFunc("GET /inbox/inbox.js", func(w http.ResponseWriter, _ *http.Request) {
			serveInboxFile(w, "inbox.js", "text/javascript; charset=utf-8")
		})
		mux.HandleFunc("GET /inbox/inbox.css", func(w http.ResponseWriter, _ *http.Request) {
			serveInboxFile(w, "inbox.css", "text/css; charset=utf-8")
		})
	}
	mux.HandleFunc("/", s.handleRoot)
	return mux
}

func discardLogger() *log.Logger { return log.New(io.Discard, "", 0) }

func (s *Server) handleRoot(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != "/" && r.URL.Path != "/w/" {
		http.Error(w, "bgtask serve: no such page; channel URIs look like /?token=…", http.StatusNotFound)
		return
	}
	if !r.URL.Query().Has("token") && (r.Method == http.MethodGet || r.Method == http.MethodHead) {
		if !s.cfg.NoUI && r.URL.Path == "/" {
			serveInboxFile(w, "index.html", "text/html; charset=utf-8")
			return
		}
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		_, _ = io.WriteString(w, "bgtask serve: a local Windows Push Notification Service.\n"+
			"POST "+TokenPath+" for a token, POST raw notifications to a channel URI (/?token=…);\n"+
			"GET /api/v1/channels lists the channels.\n")
		return
	}
	s.handleSend(w, r)
}

// handleSend is WNS's send endpoint for raw notifications (windows-facts.md
// §6, "Send" and "Response codes").
func (s *Server) handleSend(w http.ResponseWriter, r *http.Request) {
	now := s.cfg.Now()
	ev := Event{Kind: EventRequest, Method: r.Method, MsgID: newMsgID()}
	h := w.Header()
	setHeader(h, hdrMsgID, ev.MsgID)
	if cv := correlationVector(r.Header); cv != "" {
		setHeader(h, hdrCV, cv)
	}
	n, opts, werr := s.accept(w, r, now, &ev)
	// Closed once the request event below is out, whatever the path.
	announced := make(chan struct{})
	defer close(announced)
	n.announced = announced
	s.history.note(ev.MsgID, r.Header, n.Payload)
	// Events place causes (cached, a cached one it replaced) follow the
	// request event, as a delivery's do.
	var after []Event
	if werr == nil {
		werr, after = s.place(n, opts, &ev)
	}
	if werr != nil {
		ev.Status, ev.Error = werr.status, werr.description
		ev.NotificationStatus = werr.notificationStatus
		writeRefusal(w, werr)
		s.emit(ev)
		return
	}
	if opts.requestForStatus {
		// The simulated device is the only device: connected or not.
		status := "connected"
		if !s.Online() {
			status = "disconnected"
		}
		setHeader(h, hdrDeviceStatus, status)
	}
	// WNS's newer documentation names the header X-WNS-Status, its raw
	// overview and the npm wns client X-WNS-NotificationStatus: send both
	// (windows-facts.md §6 and §8).
	setHeader(h, hdrStatus, ev.NotificationStatus)
	setHeader(h, hdrNotificationStatus, ev.NotificationStatus)
	ev.Status = http.StatusOK
	w.WriteHeader(http.StatusOK)
	s.emit(ev)
	for _, follow := range after {
		s.emit(follow)
	}
}

// accept checks a send request in the order of the package comment and
// reads its body.
func (s *Server) accept(w http.ResponseWriter, r *http.Request, now time.Time, ev *Event) (Notification, sendOptions, *wnsError) {
	var n Notification
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return n, sendOptions{}, refuse(http.StatusMethodNotAllowed, "method %s is not allowed; notifications are sent with POST", quote(r.Method))
	}
	bearer, ok := bearerToken(r.Header)
	if !ok {
		return n, sendOptions{}, refuse(http.StatusUnauthorized, "Authorization: Bearer <access token> is missing; get a token from %s", TokenPath)
	}
	clientID, err := verifyToken(s.tokenKey, bearer, now)
	if errors.Is(err, errTokenExpired) {
		return n, sendOptions{}, refuse(http.StatusUnauthorized, "the access token has expired; get a new one from %s", TokenPath)
	} else if err != nil {
		return n, sendOptions{}, refuse(http.StatusUnauthorized, "the access token is not one this server issued; get one from %s", TokenPath)
	}
	ev.ClientID = clientID
	tokens := r.URL.Query()["token"]
	if len(tokens) != 1 || !validToken(tokens[0]) {
		return n, sendOptions{}, refuse(http.StatusNotFound, "not a channel URI: it needs one ?token=… as `bgtask channel new` prints")
	}
	ch, ok := s.channel(tokens[0])
	if !ok {
		return n, sendOptions{}, refuse(http.StatusNotFound, "unknown channel; create one with `bgtask channel new`")
	}
	ev.Channel = ch.Token
	if ch.ClientID != clientID {
		return n, sendOptions{}, refuse(http.StatusForbidden, "the token is for app %s, the channel belongs to app %s", quote(clientID), quote(ch.ClientID))
	}
	if ch.Expired(now) {
		return n, sendOptions{}, refuse(http.StatusGone, "the channel expired at %s; the app must request a new channel", ch.Expires.UTC().Format(time.RFC3339))
	}
	opts, werr := checkHeaders(r.Header)
	if werr != nil {
		return n, opts, werr
	}
	if opts.cache {
		ev.CachePolicy = "cache"
	} else {
		ev.CachePolicy = "no-cache"
	}
	if opts.hasTTL {
		secs := int(opts.ttl / time.Second)
		ev.TTL = &secs
	}
	ev.Priority = opts.priority
	if werr := checkLength(r.ContentLength); werr != nil {
		return n, opts, werr
	}
	if werr := s.throttle(ch.Token); werr != nil {
		return n, opts, werr
	}
	// The limit holds while reading, whatever Content-Length claimed.
	payload, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxPayload))
	var tooLarge *http.MaxBytesError
	switch {
	case errors.As(err, &tooLarge):
		return n, opts, refuse(http.StatusRequestEntityTooLarge, "the payload is over the limit of %d bytes", MaxPayload)
	case err != nil:
		return n, opts, refuse(http.StatusBadRequest, "reading the payload: %v", err)
	}
	ev.Size = len(payload)
	n = Notification{MsgID: ev.MsgID, Channel: ch, Payload: payload, Received: now, Priority: opts.priority}
	if opts.hasTTL {
		n.Expires = now.Add(opts.ttl)
	}
	return n, opts, nil
}

// place hands an accepted notification to the device: the delivery queue
// when it is online; when offline, the cache (X-WNS-Cache-Policy: cache)
// or nowhere (windows-facts.md §5, "Offline").
// The events it causes are returned, for the caller to emit after the
// request's own.
func (s *Server) place(n Notification, opts sendOptions, ev *Event) (*wnsError, []Event) {
	if !s.Online() {
		if !opts.cache {
			ev.NotificationStatus = StatusDropped
			ev.Reason = "the device is offline and the notification was sent without X-WNS-Cache-Policy: cache"
			return nil, nil
		}
		if kept, replaced := s.keep(n); kept {
			ev.NotificationStatus = StatusReceived
			after := []Event{{Kind: EventCached, MsgID: n.MsgID, Channel: n.Channel.Token, Size: len(n.Payload)}}
			if replaced != nil {
				after = append(after, Event{Kind: EventDropped, MsgID: replaced.MsgID, Channel: replaced.Channel.Token,
					Reason: "replaced in the cache by a newer notification (only one raw notification is cached)"})
			}
			return nil, after
		}
	}
	if !s.enqueue(n) {
		e := refuse(http.StatusServiceUnavailable, "the delivery queue is full (%d notifications wait for their tasks); retry later", cap(s.queue))
		e.retryAfter = time.Second
		return e, nil
	}
	ev.NotificationStatus = StatusReceived
	return nil, nil
}

func writeRefusal(w http.ResponseWriter, e *wnsError) {
	h := w.Header()
	setHeader(h, hdrErrorDescription, e.description)
	if e.notificationStatus != "" {
		setHeader(h, hdrStatus, e.notificationStatus)
		setHeader(h, hdrNotificationStatus, e.notificationStatus)
	}
	if e.retryAfter > 0 {
		h.Set("Retry-After", strconv.Itoa(int(math.Ceil(e.retryAfter.Seconds()))))
	}
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(e.status)
	_, _ = io.WriteString(w, e.description+"\n")
}

// setHeader writes a WNS header in the spelling WNS's documentation uses
// (X-WNS-Msg-ID, not Go's canonical X-Wns-Msg-Id): header names are
// case-insensitive, but people compare them by eye.
func setHeader(h http.Header, name, value string) { h[name] = []string{value} }

func bearerToken(h http.Header) (string, bool) {
	scheme, token, ok := strings.Cut(h.Get("Authorization"), " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") || strings.TrimSpace(token) == "" {
		return "", false
	}
	return strings.TrimSpace(token), true
}

// newMsgID is an X-WNS-Msg-ID: at most 16 characters (windows-facts.md §6).
func newMsgID() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return strings.ToUpper(hex.EncodeToString(b))
}

// tokenResponse is login.live.com's answer (windows-facts.md §6, "Token").
type tokenResponse struct {
	AccessToken string `json:"access_token"`
	TokenType   string `json:"token_type"`
	ExpiresIn   int    `json:"expires_in"`
}

// tokenError is an OAuth 2.0 error answer (RFC 6749 §5.2), the body WNS
// clients read on a 400 from login.live.com.
type tokenError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// maxFormBytes bounds a token request's body.
const maxFormBytes = 8 << 10

// handleToken is the token endpoint: client credentials in, a bearer token
// for the WNS scope out.
func (s *Server) handleToken(w http.ResponseWriter, r *http.Request) {
	ev := Event{Kind: EventToken, Method: r.Method}
	status, body := s.token(w, r, &ev)
	ev.Status = status
	if te, ok := body.(tokenError); ok {
		ev.Error = te.Description
	}
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, status, body)
	s.emit(ev)
}

func (s *Server) token(w http.ResponseWriter, r *http.Request, ev *Event) (int, any) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return http.StatusMethodNotAllowed, tokenError{"invalid_request", "use POST"}
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/x-www-form-urlencoded" {
		return http.StatusBadRequest, tokenError{"invalid_request", "the request must be a form (Content-Type: application/x-www-form-urlencoded)"}
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
	if err := r.ParseForm(); err != nil {
		return http.StatusBadRequest, tokenError{"invalid_request", "the form cannot be read: " + err.Error()}
	}
	form := r.PostForm
	if g := form.Get("grant_type"); g != "client_credentials" {
		return http.StatusBadRequest, tokenError{"unsupported_grant_type", "grant_type must be client_credentials, not " + quote(g)}
	}
	if sc := form.Get("scope"); sc != Scope {
		return http.StatusBadRequest, tokenError{"invalid_scope", "scope must be " + Scope + ", not " + quote(sc)}
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	idOK := subtle.ConstantTimeCompare([]byte(id), []byte(s.clientID)) == 1
	secretOK := subtle.ConstantTimeCompare([]byte(secret), []byte(s.secret)) == 1
	if !idOK || !secretOK {
		return http.StatusBadRequest, tokenError{"invalid_client", "the client_id and client_secret are not the ones bgtask serve printed when it started"}
	}
	ev.ClientID = s.clientID
	expires := s.cfg.Now().Add(TokenLifetime)
	return http.StatusOK, tokenResponse{
		AccessToken: issueToken(s.tokenKey, s.clientID, expires),
		TokenType:   "bearer",
		ExpiresIn:   int(TokenLifetime / time.Second),
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}
