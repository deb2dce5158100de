package wns

import (
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

// ChannelView is a channel as `bgtask channel list --json` and the control
// API show it (docs/json.md).
type ChannelView struct {
	Token    string `json:"token"`
	URI      string `json:"uri"`
	ClientID string `json:"clientId"`
	Created  string `json:"created"`
	Expires  string `json:"expires"`
	Expired  bool   `json:"expired"`
}

// View describes c on the server at base, at now.
func (c Channel) View(base string, now time.Time) ChannelView {
	return ChannelView{
		Token:    c.Token,
		URI:      c.URI(base),
		ClientID: c.ClientID,
		Created:  c.Created.UTC().Format(time.RFC3339),
		Expires:  c.Expires.UTC().Format(time.RFC3339),
		Expired:  c.Expired(now),
	}
}

// ChannelList is the document of `bgtask channel list --json` and of
// GET /api/v1/channels.
type ChannelList struct {
	Version  int           `json:"version"`
	Channels []ChannelView `json:"channels"`
}

// NewChannelList describes channels on the server at base.
func NewChannelList(channels []Channel, base string, now time.Time) ChannelList {
	l := ChannelList{Version: 1, Channels: []ChannelView{}}
	for _, c := range channels {
		l.Channels = append(l.Channels, c.View(base, now))
	}
	return l
}

type channelCreated struct {
	Version int         `json:"version"`
	Channel ChannelView `json:"channel"`
}

// deviceView is GET/PUT /api/v1/device.
type deviceView struct {
	Version int          `json:"version"`
	Online  bool         `json:"online"`
	Cached  []cachedView `json:"cached"`
}

type cachedView struct {
	MsgID    string `json:"msgId"`
	Channel  string `json:"channel"`
	Size     int    `json:"size"`
	Received string `json:"received"`
	Expires  string `json:"expires,omitempty"`
}

// apiHandler is the control API for scripts: list and create channels,
// read and switch the device. Requests from another origin's page are
// refused (no CSRF), and so are requests whose Host is not this server's
// (no DNS rebinding).
func (s *Server) apiHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/channels", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, NewChannelList(s.Channels(), s.cfg.BaseURL, s.cfg.Now()))
	})
	mux.HandleFunc("POST /api/v1/channels", func(w http.ResponseWriter, r *http.Request) {
		ch, err := s.NewChannel(r.Context())
		if err != nil {
			apiError(w, http.StatusInternalServerError, "creating the channel: "+err.Error())
			return
		}
		s.emit(Event{Kind: EventChannel, Channel: ch.Token, ClientID: ch.ClientID})
		writeJSON(w, http.StatusCreated, channelCreated{Version: 1, Channel: ch.View(s.cfg.BaseURL, s.cfg.Now())})
	})
	mux.HandleFunc("GET /api/v1/device", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, s.deviceView())
	})
	mux.HandleFunc("PUT /api/v1/device", func(w http.ResponseWriter, r *http.Request) {
		if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
			apiError(w, http.StatusUnsupportedMediaType, `send {"online": true|false} as application/json`)
			return
		}
		var body struct {
			Online *bool `json:"online"`
		}
		dec := json.NewDecoder(io.LimitReader(r.Body, 1<<10))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&body); err != nil || body.Online == nil {
			apiError(w, http.StatusBadRequest, `send {"online": true|false}`)
			return
		}
		s.SetOnline(*body.Online)
		writeJSON(w, http.StatusOK, s.deviceView())
	})
	mux.HandleFunc("GET /api/v1/events", func(w http.ResponseWriter, r *http.Request) {
		after, err := parseSeq(r.URL.Query().Get("after"))
		if err != nil {
			apiError(w, http.StatusBadRequest, "after: a sequence number (the seq of the last event you have)")
			return
		}
		evs, gap := s.history.since(after)
		list := eventList{Version: 1, Run: s.runID, Truncated: gap, Events: make([]apiEvent, 0, len(evs))}
		for _, ev := range evs {
			list.Events = append(list.Events, apiEvent{1, ev})
		}
		writeJSON(w, http.StatusOK, list)
	})
	mux.HandleFunc("GET /api/v1/messages", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, http.StatusOK, messageList{Version: 1, Messages: s.history.messageList()})
	})
	mux.HandleFunc("GET /api/v1/messages/{msgId}/payload", func(w http.ResponseWriter, r *http.Request) {
		id := r.PathValue("msgId")
		payload, ok := s.history.payload(id)
		if !ok {
			apiError(w, http.StatusNotFound, "no such message in the history")
			return
		}
		h := w.Header()
		h.Set("Content-Type", "application/octet-stream")
		h.Set("X-Content-Type-Options", "nosniff")
		// The message id is hex digits: safe in the header as it is.
		h.Set("Content-Disposition", `attachment; filename="`+id+`.bin"`)
		_, _ = w.Write(payload)
	})
	mux.HandleFunc("GET /api/v1/stream", s.handleStream)
	mux.HandleFunc("POST /api/v1/send", s.handleTestSend)
	mux.HandleFunc("GET /api/v1/registrations", s.handleRegistrations)
	mux.HandleFunc("POST /api/v1/trigger", s.handleTrigger)
	protect := http.NewCrossOriginProtection()
	return protect.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.ownHost(r.Host) {
			apiError(w, http.StatusMisdirectedRequest, "this API answers only to the server's own host names")
			return
		}
		mux.ServeHTTP(w, r)
	}))
}

// ownHost reports whether host (from the Host header) names this server.
func (s *Server) ownHost(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(strings.ToLower(host), "[]")
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return true
	}
	return host == "localhost" || slices.Contains(s.cfg.Hosts, host)
}

func (s *Server) deviceView() deviceView {
	v := deviceView{Version: 1, Online: s.Online(), Cached: []cachedView{}}
	for _, n := range s.Cached() {
		c := cachedView{MsgID: n.MsgID, Channel: n.Channel.Token, Size: len(n.Payload), Received: n.Received.UTC().Format(time.RFC3339Nano)}
		if !n.Expires.IsZero() {
			c.Expires = n.Expires.UTC().Format(time.RFC3339Nano)
		}
		v.Cached = append(v.Cached, c)
	}
	slices.SortFunc(v.Cached, func(a, b cachedView) int { return strings.Compare(a.Received, b.Received) })
	return v
}

func apiError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, struct {
		Version int    `json:"version"`
		Error   string `json:"error"`
	}{1, msg})
}

type eventList struct {
	Version int `json:"version"`
	// Run names this run of serve: a stream asked for ?after=RUN.SEQ
	// starts over when RUN is an earlier run's (handleStream).
	Run string `json:"run"`
	// Truncated: events after the requested one were already forgotten
	// (the history keeps the last --history events).
	Truncated bool       `json:"truncated"`
	Events    []apiEvent `json:"events"`
}

// apiEvent is an event as a line of serve --json writes it.
type apiEvent struct {
	Version int `json:"version"`
	Event
}

type messageList struct {
	Version  int       `json:"version"`
	Messages []Message `json:"messages"`
}

func parseSeq(v string) (uint64, error) {
	if v == "" {
		return 0, nil
	}
	return strconv.ParseUint(v, 10, 64)
}

// sseKeepAlive is how often an idle event stream gets a comment line, so
// proxies and the browser keep it open.
const sseKeepAlive = 15 * time.Second

// handleStream is the live event stream (Server-Sent Events): the events
// after Last-Event-ID (or ?after=), then each new one as it happens, one
// "data:" line of JSON per event with RUN.SEQ as the id.
func (s *Server) handleStream(w http.ResponseWriter, r *http.Request) {
	// Ids are RUN.SEQ: a browser that reconnects after serve restarted
	// sends an id of the run before, whose numbers mean nothing now (they
	// start again at 1), and must start over rather than skip the events
	// numbered up to it. ?after= takes the same form (the inbox gives the
	// run its events came from: a browser that reconnects before any
	// event arrived sends no Last-Event-ID, only the page's URL again); a
	// bare number (curl) is this run's.
	lastID := r.Header.Get("Last-Event-ID")
	if lastID == "" {
		lastID = r.URL.Query().Get("after")
	}
	restarted := false
	if run, seq, ok := strings.Cut(lastID, "."); ok {
		lastID = seq
		if run != s.runID {
			lastID, restarted = "", true
		}
	}
	after, err := parseSeq(lastID)
	if err != nil {
		apiError(w, http.StatusBadRequest, "Last-Event-ID or after: a sequence number, or RUN.SEQ")
		return
	}
	// Subscribe before reading the backlog: nothing falls between the two
	// (an event in both is sent once, by its seq).
	sub := s.history.subscribe()
	if sub == nil {
		apiError(w, http.StatusServiceUnavailable, "too many open event streams")
		return
	}
	defer s.history.unsubscribe(sub)
	h := w.Header()
	h.Set("Content-Type", "text/event-stream")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Content-Type-Options", "nosniff")
	rc := http.NewResponseController(w)
	last := after
	send := func(ev Event) bool {
		if ev.Seq <= last {
			return true
		}
		last = ev.Seq
		// The event as /api/v1/events and serve --json write it, version first.
		data, err := json.Marshal(apiEvent{1, ev})
		if err != nil {
			return true
		}
		_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := fmt.Fprintf(w, "id: %s.%d\ndata: %s\n\n", s.runID, ev.Seq, data); err != nil {
			return false
		}
		return rc.Flush() == nil
	}
	if restarted {
		// The page's state is of the run before: it reloads.
		_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
		if _, err := io.WriteString(w, "event: restarted\ndata: {}\n\n"); err != nil {
			return
		}
	}
	backlog, _ := s.history.since(after)
	for _, ev := range backlog {
		if !send(ev) {
			return
		}
	}
	_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
	_, _ = io.WriteString(w, ": stream open\n\n")
	if rc.Flush() != nil {
		return
	}
	keep := time.NewTicker(sseKeepAlive)
	defer keep.Stop()
	for {
		select {
		case ev, ok := <-sub:
			if !ok {
				return
			}
			if !send(ev) {
				return
			}
		case <-keep.C:
			_ = rc.SetWriteDeadline(time.Now().Add(writeTimeout))
			if _, err := io.WriteString(w, ": keep-alive\n\n"); err != nil || rc.Flush() != nil {
				return
			}
		case <-r.Context().Done():
			return
		}
	}
}
