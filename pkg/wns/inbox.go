package wns

import (
	"bytes"
	"embed"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strconv"
	"time"
)

// inboxFiles is the web inbox: plain HTML, CSS and standard-library
// JavaScript, embedded so nothing is fetched from the internet and users
// build nothing.
//
//go:embed inbox/index.html inbox/inbox.js inbox/inbox.css
var inboxFiles embed.FS

// inboxCSP allows the page its own script, style and API, and nothing
// else: no inline script, no other origin, no framing.
const inboxCSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; " +
	"base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

func pageHeaders(h http.Header) {
	h.Set("Content-Security-Policy", inboxCSP)
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cache-Control", "no-store")
}

// serveInboxFile writes one embedded file.
func serveInboxFile(w http.ResponseWriter, name, contentType string) {
	data, err := inboxFiles.ReadFile("inbox/" + name)
	if err != nil {
		http.NotFound(w, nil)
		return
	}
	pageHeaders(w.Header())
	w.Header().Set("Content-Type", contentType)
	_, _ = w.Write(data)
}

// sendForm is POST /api/v1/send: the inbox's test send.
type sendForm struct {
	Channel     string `json:"channel"`
	Payload     string `json:"payload"`
	CachePolicy string `json:"cachePolicy"`
	TTL         *int   `json:"ttl"`
}

type sendAnswer struct {
	Version            int    `json:"version"`
	Status             int    `json:"status"`
	NotificationStatus string `json:"notificationStatus"`
	MsgID              string `json:"msgId"`
	Error              string `json:"error"`
}

// handleTestSend sends a raw notification as an app server would, through
// the same send handler (rules, answer, events), with a token the server
// issues to its own app.
func (s *Server) handleTestSend(w http.ResponseWriter, r *http.Request) {
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		apiError(w, http.StatusUnsupportedMediaType, "send the form as application/json")
		return
	}
	var f sendForm
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil || !validToken(f.Channel) {
		apiError(w, http.StatusBadRequest, `send {"channel": TOKEN, "payload": TEXT, "cachePolicy": "cache"|"no-cache", "ttl": SECONDS}`)
		return
	}
	req := httptest.NewRequest(http.MethodPost, "/?token="+f.Channel, bytes.NewReader([]byte(f.Payload)))
	req.Header.Set("Authorization", "Bearer "+issueToken(s.tokenKey, s.clientID, s.cfg.Now().Add(time.Minute)))
	req.Header.Set("Content-Type", "application/octet-stream")
	req.Header.Set(hdrType, "wns/raw")
	if f.CachePolicy != "" {
		req.Header.Set(hdrCachePolicy, f.CachePolicy)
	}
	if f.TTL != nil {
		req.Header.Set(hdrTTL, strconv.Itoa(*f.TTL))
	}
	rec := httptest.NewRecorder()
	s.handleSend(rec, req)
	h := rec.Header()
	writeJSON(w, http.StatusOK, sendAnswer{Version: 1, Status: rec.Code, NotificationStatus: headerValue(h, hdrStatus),
		MsgID: headerValue(h, hdrMsgID), Error: headerValue(h, hdrErrorDescription)})
}

// headerValue reads a header setHeader wrote in WNS's spelling.
func headerValue(h http.Header, name string) string {
	if v := h[name]; len(v) > 0 {
		return v[0]
	}
	return h.Get(name)
}

type triggerForm struct {
	Name    string `json:"name"`
	Payload string `json:"payload"`
}

// handleRegistrations lists what the trigger buttons can fire.
func (s *Server) handleRegistrations(w http.ResponseWriter, r *http.Request) {
	t, ok := s.cfg.Deliverer.(Triggerer)
	if !ok {
		writeJSON(w, http.StatusOK, struct {
			Version       int                `json:"version"`
			Registrations []RegistrationInfo `json:"registrations"`
		}{1, []RegistrationInfo{}})
		return
	}
	regs, err := t.Registrations()
	if err != nil {
		apiError(w, http.StatusInternalServerError, err.Error())
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Version       int                `json:"version"`
		Registrations []RegistrationInfo `json:"registrations"`
	}{1, regs})
}

// handleTrigger fires a registration by hand, without waiting for it: its
// instances and outcome arrive as events under the returned msgId. One
// trigger runs at a time (409 while one does).
func (s *Server) handleTrigger(w http.ResponseWriter, r *http.Request) {
	t, ok := s.cfg.Deliverer.(Triggerer)
	if !ok {
		apiError(w, http.StatusNotImplemented, "this server cannot fire registrations")
		return
	}
	if mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type")); err != nil || mt != "application/json" {
		apiError(w, http.StatusUnsupportedMediaType, "send the form as application/json")
		return
	}
	var f triggerForm
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&f); err != nil || f.Name == "" || len(f.Payload) > MaxPayload {
		apiError(w, http.StatusBadRequest, `send {"name": REGISTRATION, "payload": TEXT (for a push registration)}`)
		return
	}
	if s.stopping.Load() {
		apiError(w, http.StatusServiceUnavailable, "serve is stopping")
		return
	}
	select {
	case s.triggering <- struct{}{}:
	default:
		apiError(w, http.StatusConflict, "a trigger is running; wait for it")
		return
	}
	msgID := newMsgID()
	s.triggers.Add(1)
	go func() {
		defer s.triggers.Done()
		defer func() { <-s.triggering }()
		s.emit(Event{Kind: EventTrigger, MsgID: msgID, Reason: "fired by hand from the inbox: " + f.Name, Size: len(f.Payload)})
		t.Trigger(s.deliverCtx, msgID, f.Name, []byte(f.Payload), s.emit)
	}()
	writeJSON(w, http.StatusAccepted, struct {
		Version int    `json:"version"`
		MsgID   string `json:"msgId"`
	}{1, msgID})
}
