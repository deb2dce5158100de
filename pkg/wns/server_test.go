package wns

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// clock is a settable time source.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// fakeDeliverer records what the server hands to the broker. While block
// is open, each delivery waits for it (or for its context).
type fakeDeliverer struct {
	got   chan Notification
	block chan struct{}
}

func newFakeDeliverer() *fakeDeliverer { return &fakeDeliverer{got: make(chan Notification, 1024)} }

func (f *fakeDeliverer) Deliver(ctx context.Context, n Notification, emit func(Event)) {
	f.got <- n
	if f.block != nil {
		select {
		case <-f.block:
		case <-ctx.Done():
		}
	}
}

// next waits for the next delivery.
func (f *fakeDeliverer) next(t *testing.T) Notification {
	t.Helper()
	select {
	case n := <-f.got:
		return n
	case <-time.After(5 * time.Second):
		t.Fatal("no delivery within 5s")
		return Notification{}
	}
}

// none checks that nothing was delivered (the worker is given a moment).
func (f *fakeDeliverer) none(t *testing.T) {
	t.Helper()
	select {
	case n := <-f.got:
		t.Fatalf("delivered %s (%q), want nothing", n.MsgID, n.Payload)
	case <-time.After(50 * time.Millisecond):
	}
}

type fixture struct {
	srv     *Server
	ts      *httptest.Server
	del     *fakeDeliverer
	clock   *clock
	channel Channel
	token   string
	events  *eventLog
}

type eventLog struct {
	mu  sync.Mutex
	evs []Event
}

func (l *eventLog) add(e Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.evs = append(l.evs, e)
}

// waitFor waits until the sink has count events of kind: the sink gets
// them from the emitter's goroutine, after the history has them.
func (l *eventLog) waitFor(t *testing.T, kind string, count int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := 0
		for _, k := range l.kinds() {
			if k == kind {
				n++
			}
		}
		if n >= count {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d %s events in the sink after 5s, want %d", n, kind, count)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func (l *eventLog) kinds() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	var out []string
	for _, e := range l.evs {
		out = append(out, e.Kind)
	}
	return out
}

func newFixture(t *testing.T, edit func(*Config)) *fixture {
	t.Helper()
	f := &fixture{del: newFakeDeliverer(), clock: &clock{t: time.Date(2026, 12, 2, 1, 0, 0, 0, time.UTC)}, events: &eventLog{}}
	cfg := Config{
		Store:     Store{Dir: t.TempDir()},
		Deliverer: f.del,
		Now:       f.clock.Now,
		Events:    f.events.add,
		Rate:      rate.Inf,
	}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	f.ts = httptest.NewServer(srv.Handler())
	srv.cfg.BaseURL = f.ts.URL
	t.Cleanup(func() {
		f.ts.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(ctx)
	})
	f.channel, err = srv.FirstChannel(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	f.token = f.getToken(t, srv.ClientID(), srv.ClientSecret())
	return f
}

func (f *fixture) getToken(t *testing.T, id, secret string) string {
	t.Helper()
	resp := f.tokenRequest(t, url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}, "scope": {"notify.windows.com"}})
	defer resp.Body.Close()
	var tr map[string]any
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || resp.StatusCode != 200 {
		t.Fatalf("token: %d %v %v", resp.StatusCode, tr, err)
	}
	return tr["access_token"].(string)
}

func (f *fixture) tokenRequest(t *testing.T, form url.Values) *http.Response {
	t.Helper()
	resp, err := http.Post(f.ts.URL+"/accesstoken.srf", "application/x-www-form-urlencoded", strings.NewReader(form.Encode()))
	if err != nil {
		t.Fatal(err)
	}
	return resp
}

// rawHeaders are the headers a correct raw send carries (windows-facts.md
// §6, "Send": Authorization, Content-Type, Content-Length, X-WNS-Type).
func (f *fixture) rawHeaders() http.Header {
	return http.Header{
		"Authorization": {"Bearer " + f.token},
		"Content-Type":  {"application/octet-stream"},
		"X-Wns-Type":    {"wns/raw"},
	}
}

// send POSTs body to the fixture's channel with headers, after edit.
func (f *fixture) send(t *testing.T, body string, edit func(h http.Header)) *http.Response {
	t.Helper()
	h := f.rawHeaders()
	if edit != nil {
		edit(h)
	}
	return f.do(t, http.MethodPost, f.channel.URI(f.ts.URL), h, body)
}

func (f *fixture) do(t *testing.T, method, target string, h http.Header, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func wantStatus(t *testing.T, resp *http.Response, status int, fact string) {
	t.Helper()
	if resp.StatusCode != status {
		t.Fatalf("%s: status %d, want %d (%s)", fact, resp.StatusCode, status, resp.Header.Get("X-WNS-Error-Description"))
	}
	if resp.StatusCode != 200 && resp.Header.Get("X-WNS-Error-Description") == "" {
		t.Errorf("%s: a %d without X-WNS-Error-Description", fact, resp.StatusCode)
	}
	if id := resp.Header.Get("X-WNS-Msg-ID"); id == "" || len(id) > 16 {
		t.Errorf("%s: X-WNS-Msg-ID %q, want 1 to 16 characters (windows-facts.md §6, response headers)", fact, id)
	}
}

// windows-facts.md §6 "Send" and "Response headers": a correct raw send is
// 200 with X-WNS-Status and X-WNS-NotificationStatus received (both names,
// §8: the npm wns client reads the second), and the payload reaches the
// broker byte for byte.
func TestSendAccepted(t *testing.T) {
	f := newFixture(t, nil)
	payload := "\x00binary\xffpayload"
	resp := f.send(t, payload, nil)
	wantStatus(t, resp, 200, "windows-facts.md §6 send")
	for _, h := range []string{"X-WNS-Status", "X-WNS-NotificationStatus"} {
		if got := resp.Header.Get(h); got != "received" {
			t.Errorf("%s = %q, want received", h, got)
		}
	}
	if got := resp.Header.Get("X-WNS-DeviceConnectionStatus"); got != "" {
		t.Errorf("X-WNS-DeviceConnectionStatus %q without X-WNS-RequestForStatus (windows-facts.md §6: only when asked)", got)
	}
	n := f.del.next(t)
	if string(n.Payload) != payload || n.Channel.Token != f.channel.Token || n.MsgID != resp.Header.Get("X-WNS-Msg-ID") {
		t.Errorf("delivered %+v, want the payload %q on channel %s with the answer's message id", n, payload, f.channel.Token)
	}
	if n.Priority != 3 {
		t.Errorf("priority %d, want raw's default 3 (windows-facts.md §6, X-WNS-PRIORITY)", n.Priority)
	}
}

// windows-facts.md §6 "Send": any method but POST is 405.
func TestSendOtherMethods405(t *testing.T) {
	f := newFixture(t, nil)
	for _, m := range []string{http.MethodGet, http.MethodPut, http.MethodDelete, http.MethodPatch} {
		resp := f.do(t, m, f.channel.URI(f.ts.URL), f.rawHeaders(), "x")
		wantStatus(t, resp, 405, "windows-facts.md §6 405 "+m)
		if resp.Header.Get("Allow") != "POST" {
			t.Errorf("%s: Allow %q, want POST", m, resp.Header.Get("Allow"))
		}
	}
	f.del.none(t)
}

// windows-facts.md §6 response codes: 401 for a missing, invalid or
// expired token.
func TestSendTokens401(t *testing.T) {
	f := newFixture(t, nil)
	forged := issueToken(bytes.Repeat([]byte{7}, 32), f.srv.ClientID(), f.clock.Now().Add(time.Hour))
	for name, auth := range map[string]string{
		"missing":      "",
		"not bearer":   "Basic " + f.token,
		"garbage":      "Bearer not-a-token",
		"other key":    "Bearer " + forged,
		"tampered mac": "Bearer " + f.token[:len(f.token)-2] + "AA",
	} {
		resp := f.send(t, "x", func(h http.Header) { h.Set("Authorization", auth) })
		wantStatus(t, resp, 401, "windows-facts.md §6 401 "+name)
	}
	// Tokens last expires_in (86400 s) seconds (windows-facts.md §6, Token).
	f.clock.Advance(TokenLifetime - time.Second)
	wantStatus(t, f.send(t, "x", nil), 200, "token still valid")
	f.clock.Advance(time.Second)
	resp := f.send(t, "x", nil)
	wantStatus(t, resp, 401, "windows-facts.md §6 401 expired")
	if !strings.Contains(resp.Header.Get("X-WNS-Error-Description"), "expired") {
		t.Errorf("description %q does not say expired", resp.Header.Get("X-WNS-Error-Description"))
	}
}

// windows-facts.md §6 response codes: 404 for an unknown channel.
func TestSendUnknownChannel404(t *testing.T) {
	f := newFixture(t, nil)
	for _, target := range []string{
		f.ts.URL + "/?token=AAAAunknownAAAA",
		f.ts.URL + "/",
		f.ts.URL + "/?token=" + url.QueryEscape("bad token<script>"),
		f.ts.URL + "/?token=" + f.channel.Token + "&token=" + f.channel.Token,
	} {
		wantStatus(t, f.do(t, "POST", target, f.rawHeaders(), "x"), 404, "windows-facts.md §6 404 "+target)
	}
	// The /w/ path of newer channel URIs reaches the same channel.
	wantStatus(t, f.do(t, "POST", f.ts.URL+"/w/?token="+f.channel.Token, f.rawHeaders(), "x"), 200, "/w/ path")
}

// windows-facts.md §6 response codes: 403 when the token's app does not own
// the channel.
func TestSendOtherAppsChannel403(t *testing.T) {
	f := newFixture(t, nil)
	other, err := f.srv.cfg.Store.NewChannel(context.Background(), "ms-app://s-1-15-2-1-2-3", time.Hour, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	resp := f.do(t, "POST", other.URI(f.ts.URL), f.rawHeaders(), "x")
	wantStatus(t, resp, 403, "windows-facts.md §6 403")
	f.del.none(t)
}

// windows-facts.md §6 "Channel": channels expire (30 days by default) and an
// expired channel answers 410.
func TestSendExpiredChannel410(t *testing.T) {
	f := newFixture(t, nil)
	if got := f.channel.Expires.Sub(f.channel.Created); got != 30*24*time.Hour {
		t.Errorf("a new channel lives %v, want 30 days (windows-facts.md §6)", got)
	}
	f.clock.Advance(30*24*time.Hour - time.Second)
	f.token = f.getToken(t, f.srv.ClientID(), f.srv.ClientSecret())
	wantStatus(t, f.send(t, "x", nil), 200, "a day before expiry")
	f.clock.Advance(time.Second)
	wantStatus(t, f.send(t, "x", nil), 410, "windows-facts.md §6 410")
}

// windows-facts.md §6 "Send" and "Not for raw": bad or conflicting headers
// are 400.
func TestSendBadHeaders400(t *testing.T) {
	f := newFixture(t, nil)
	cases := map[string]func(h http.Header){
		"missing X-WNS-Type":         func(h http.Header) { h.Del("X-WNS-Type") },
		"toast type":                 func(h http.Header) { h.Set("X-WNS-Type", "wns/toast") },
		"unknown type":               func(h http.Header) { h.Set("X-WNS-Type", "wns/other") },
		"two types":                  func(h http.Header) { h.Add("X-WNS-Type", "wns/raw") },
		"text/xml for raw":           func(h http.Header) { h.Set("Content-Type", "text/xml") },
		"no Content-Type":            func(h http.Header) { h.Del("Content-Type") },
		"X-WNS-Tag on raw":           func(h http.Header) { h.Set("X-WNS-Tag", "t1") },
		"X-WNS-Group on raw":         func(h http.Header) { h.Set("X-WNS-Group", "g") },
		"X-WNS-Match on raw":         func(h http.Header) { h.Set("X-WNS-Match", "type:wns/toast") },
		"X-WNS-SuppressPopup on raw": func(h http.Header) { h.Set("X-WNS-SuppressPopup", "true") },
		"bad cache policy":           func(h http.Header) { h.Set("X-WNS-Cache-Policy", "always") },
		"bad RequestForStatus":       func(h http.Header) { h.Set("X-WNS-RequestForStatus", "yes") },
		"negative TTL":               func(h http.Header) { h.Set("X-WNS-TTL", "-1") },
		"TTL not a number":           func(h http.Header) { h.Set("X-WNS-TTL", "1h") },
		"priority 0":                 func(h http.Header) { h.Set("X-WNS-PRIORITY", "0") },
		"priority 5":                 func(h http.Header) { h.Set("X-WNS-PRIORITY", "5") },
		"priority not a number":      func(h http.Header) { h.Set("X-WNS-PRIORITY", "high") },
		"conflicting cache policies": func(h http.Header) { h["X-Wns-Cache-Policy"] = []string{"cache", "no-cache"} },
		"bidi override in value":     func(h http.Header) { h.Set("X-WNS-Type", "wns/r\u202eaw") },
	}
	for name, edit := range cases {
		t.Run(name, func(t *testing.T) {
			resp := f.send(t, "x", edit)
			wantStatus(t, resp, 400, "windows-facts.md §6 400 "+name)
			if d := resp.Header.Get("X-WNS-Error-Description"); strings.ContainsFunc(d, func(r rune) bool { return r < 0x20 || r >= 0x7f }) {
				t.Errorf("description %q is not printable ASCII", d)
			}
		})
	}
	// The optional headers in their documented forms are accepted.
	resp := f.send(t, "x", func(h http.Header) {
		h.Set("X-WNS-Cache-Policy", "no-cache")
		h.Set("X-WNS-TTL", "60")
		h.Set("X-WNS-PRIORITY", "1")
		h.Set("X-WNS-RequestForStatus", "false")
		h.Set("Content-Type", "application/octet-stream; charset=binary")
	})
	wantStatus(t, resp, 200, "windows-facts.md §6 optional headers")
	if n := f.del.next(t); n.Priority != 1 || !n.Expires.Equal(n.Received.Add(time.Minute)) {
		t.Errorf("priority %d, expires %v after receipt; want 1 and 60s", n.Priority, n.Expires.Sub(n.Received))
	}
	f.del.none(t)
}

// windows-facts.md §6 "Size": 5000 bytes is the limit (exactly 5000 is
// accepted, a choice: the doc only says what exceeds it), 413 above, 400 for
// an empty body; the limit holds while reading, not only by Content-Length.
func TestSendSize(t *testing.T) {
	f := newFixture(t, nil)
	wantStatus(t, f.send(t, strings.Repeat("a", 5000), nil), 200, "windows-facts.md §6 5000 bytes")
	if n := f.del.next(t); len(n.Payload) != 5000 {
		t.Errorf("delivered %d bytes, want 5000", len(n.Payload))
	}
	wantStatus(t, f.send(t, strings.Repeat("a", 5001), nil), 413, "windows-facts.md §6 413")
	wantStatus(t, f.send(t, "", nil), 400, "windows-facts.md §6 empty body")

	// A chunked body has no Content-Length, which WNS requires.
	req, _ := http.NewRequest("POST", f.channel.URI(f.ts.URL), io.MultiReader(strings.NewReader("abc")))
	req.Header = f.rawHeaders()
	req.ContentLength = -1
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	wantStatus(t, resp, 400, "windows-facts.md §6 Content-Length required")
	f.del.none(t)
}

// A Content-Length that lies (small header, huge body) is cut at the limit
// while reading: the server never reads more than MaxPayload+1 bytes.
func TestSendBodyLimitWhileReading(t *testing.T) {
	f := newFixture(t, nil)
	rec := httptest.NewRecorder()
	req := httptest.NewRequest("POST", f.channel.URI("http://example"), io.LimitReader(zeros{}, 1<<30))
	req.Header = f.rawHeaders()
	req.ContentLength = 10 // the handler sees 10, the reader gives a gigabyte
	f.srv.Handler().ServeHTTP(rec, req)
	if rec.Code != 413 {
		t.Fatalf("status %d, want 413 (windows-facts.md §6 413)", rec.Code)
	}
}

type zeros struct{}

func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

// windows-facts.md §6 response codes: 406 when throttled, with Retry-After
// (the newer doc) and X-WNS-Status channelthrottled.
func TestSendThrottled406(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Rate, c.Burst = 1, 2 })
	wantStatus(t, f.send(t, "1", nil), 200, "burst 1")
	wantStatus(t, f.send(t, "2", nil), 200, "burst 2")
	resp := f.send(t, "3", nil)
	wantStatus(t, resp, 406, "windows-facts.md §6 406")
	if resp.Header.Get("Retry-After") != "1" || resp.Header.Get("X-WNS-Status") != "channelthrottled" {
		t.Errorf("Retry-After %q, X-WNS-Status %q; want 1 and channelthrottled", resp.Header.Get("Retry-After"), resp.Header.Get("X-WNS-Status"))
	}
	f.clock.Advance(time.Second)
	wantStatus(t, f.send(t, "4", nil), 200, "after Retry-After")
	// The throttle is per channel.
	other, _ := f.srv.NewChannel(context.Background())
	wantStatus(t, f.do(t, "POST", other.URI(f.ts.URL), f.rawHeaders(), "5"), 200, "another channel")
}

// A full delivery queue answers 503 with Retry-After at once; the HTTP
// answer never waits for a task.
func TestSendQueueFull503(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Queue = 2 })
	f.del.block = make(chan struct{})
	defer close(f.del.block)
	wantStatus(t, f.send(t, "running", nil), 200, "first")
	f.del.next(t) // the worker holds it
	wantStatus(t, f.send(t, "q1", nil), 200, "queued 1")
	wantStatus(t, f.send(t, "q2", nil), 200, "queued 2")
	resp := f.send(t, "over", nil)
	wantStatus(t, resp, 503, "windows-facts.md §6 503")
	if resp.Header.Get("Retry-After") == "" {
		t.Error("503 without Retry-After")
	}
}

// windows-facts.md §6 response headers: X-WNS-DeviceConnectionStatus only
// when X-WNS-RequestForStatus: true; MS-CV echoed.
func TestSendStatusHeaders(t *testing.T) {
	f := newFixture(t, nil)
	resp := f.send(t, "x", func(h http.Header) {
		h.Set("X-WNS-RequestForStatus", "true")
		h.Set("MS-CV", "Pq1yFh5/+0q4m3mjvA1xCg.0")
	})
	wantStatus(t, resp, 200, "request for status")
	if got := resp.Header.Get("X-WNS-DeviceConnectionStatus"); got != "connected" {
		t.Errorf("X-WNS-DeviceConnectionStatus = %q, want connected", got)
	}
	if got := resp.Header.Get("MS-CV"); got != "Pq1yFh5/+0q4m3mjvA1xCg.0" {
		t.Errorf("MS-CV = %q, want it echoed", got)
	}
	// An error answer echoes it too.
	resp = f.send(t, "", func(h http.Header) { h.Set("MS-CV", "abc.1") })
	if resp.Header.Get("MS-CV") != "abc.1" {
		t.Errorf("MS-CV not echoed on a %d", resp.StatusCode)
	}
	f.srv.SetOnline(false)
	resp = f.send(t, "x", func(h http.Header) { h.Set("X-WNS-RequestForStatus", "true") })
	if got := resp.Header.Get("X-WNS-DeviceConnectionStatus"); got != "disconnected" {
		t.Errorf("offline: X-WNS-DeviceConnectionStatus = %q, want disconnected", got)
	}
}

// windows-facts.md §5 "Offline" and §6 "Offline caching": an offline
// device drops raw notifications unless X-WNS-Cache-Policy: cache, and then
// keeps only the newest, delivered when the device is online again.
func TestOfflineCachePolicy(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Offline = true })
	resp := f.send(t, "not cached", nil)
	wantStatus(t, resp, 200, "offline no-cache")
	if resp.Header.Get("X-WNS-Status") != "dropped" {
		t.Errorf("offline without cache policy: X-WNS-Status %q, want dropped", resp.Header.Get("X-WNS-Status"))
	}
	cache := func(h http.Header) { h.Set("X-WNS-Cache-Policy", "cache") }
	for _, p := range []string{"old", "newest"} {
		resp = f.send(t, p, cache)
		if resp.Header.Get("X-WNS-Status") != "received" {
			t.Errorf("offline with cache policy: X-WNS-Status %q, want received", resp.Header.Get("X-WNS-Status"))
		}
	}
	f.del.none(t)
	f.srv.SetOnline(true)
	if n := f.del.next(t); string(n.Payload) != "newest" {
		t.Errorf("delivered %q after going online, want the newest cached one", n.Payload)
	}
	f.del.none(t)
	if len(f.srv.Cached()) != 0 {
		t.Error("the cache is not empty after delivering it")
	}
}

// windows-facts.md §6 X-WNS-TTL: a cached notification whose TTL passes
// while the device is offline is never delivered.
func TestOfflineCacheTTL(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Offline = true })
	f.send(t, "short", func(h http.Header) { h.Set("X-WNS-Cache-Policy", "cache"); h.Set("X-WNS-TTL", "10") })
	other, _ := f.srv.NewChannel(context.Background())
	h := f.rawHeaders()
	h.Set("X-WNS-Cache-Policy", "cache")
	h.Set("X-WNS-TTL", "60")
	wantStatus(t, f.do(t, "POST", other.URI(f.ts.URL), h, "long"), 200, "second channel")
	f.clock.Advance(10 * time.Second)
	f.srv.SetOnline(true)
	if n := f.del.next(t); string(n.Payload) != "long" {
		t.Errorf("delivered %q, want only the one whose TTL has not passed", n.Payload)
	}
	f.del.none(t)
}

// The token endpoint answers as login.live.com (windows-facts.md §6,
// "Token"): 200 with access_token, token_type bearer and expires_in 86400,
// 400 with an OAuth error body for wrong credentials, grant type or scope.
func TestTokenEndpoint(t *testing.T) {
	f := newFixture(t, nil)
	good := url.Values{"grant_type": {"client_credentials"}, "client_id": {f.srv.ClientID()}, "client_secret": {f.srv.ClientSecret()}, "scope": {"notify.windows.com"}}
	resp := f.tokenRequest(t, good)
	var tr map[string]any
	_ = json.NewDecoder(resp.Body).Decode(&tr)
	resp.Body.Close()
	if resp.StatusCode != 200 || tr["token_type"] != "bearer" || tr["expires_in"] != float64(86400) || tr["access_token"] == "" {
		t.Fatalf("token answer %d %v, want 200 bearer 86400 (windows-facts.md §6 Token)", resp.StatusCode, tr)
	}
	for name, c := range map[string]struct{ key, value, oauthError string }{
		"wrong secret": {"client_secret", "nope", "invalid_client"},
		"wrong id":     {"client_id", "ms-app://s-1-15-2-9", "invalid_client"},
		"no secret":    {"client_secret", "", "invalid_client"},
		"grant type":   {"grant_type", "password", "unsupported_grant_type"},
		"scope":        {"scope", "s.notify.live.net", "invalid_scope"},
	} {
		form := url.Values{}
		for k, v := range good {
			form[k] = v
		}
		form.Set(c.key, c.value)
		resp := f.tokenRequest(t, form)
		var te map[string]string
		_ = json.NewDecoder(resp.Body).Decode(&te)
		resp.Body.Close()
		if resp.StatusCode != 400 || te["error"] != c.oauthError || te["error_description"] == "" {
			t.Errorf("%s: %d %v, want 400 with error %s (windows-facts.md §6 Token: 400 on auth failure)", name, resp.StatusCode, te, c.oauthError)
		}
	}
	resp, _ = http.Post(f.ts.URL+"/accesstoken.srf", "application/json", strings.NewReader(`{}`))
	resp.Body.Close()
	if resp.StatusCode != 400 {
		t.Errorf("a JSON token request: %d, want 400", resp.StatusCode)
	}
	resp, _ = http.Get(f.ts.URL + "/accesstoken.srf")
	resp.Body.Close()
	if resp.StatusCode != 405 {
		t.Errorf("GET token endpoint: %d, want 405", resp.StatusCode)
	}
}

// The control API switches the device and lists and creates channels;
// another site's page cannot use it (no CSRF), nor a rebinding domain.
func TestControlAPI(t *testing.T) {
	f := newFixture(t, nil)
	put := func(body string, h http.Header) *http.Response {
		req, _ := http.NewRequest("PUT", f.ts.URL+"/api/v1/device", strings.NewReader(body))
		req.Header = h
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	jsonCT := http.Header{"Content-Type": {"application/json"}}
	if resp := put(`{"online":false}`, jsonCT); resp.StatusCode != 200 || f.srv.Online() {
		t.Fatalf("PUT device offline: %d, online %v", resp.StatusCode, f.srv.Online())
	}
	if resp := put(`{"online":true}`, http.Header{"Content-Type": {"text/plain"}}); resp.StatusCode != 415 || f.srv.Online() {
		t.Errorf("a form-like PUT: %d, online %v; want 415 and no change", resp.StatusCode, f.srv.Online())
	}
	crossSite := http.Header{"Content-Type": {"application/json"}, "Sec-Fetch-Site": {"cross-site"}, "Origin": {"https://evil.example"}}
	if resp := put(`{"online":true}`, crossSite); resp.StatusCode != 403 || f.srv.Online() {
		t.Errorf("a cross-site PUT: %d, online %v; want 403 and no change", resp.StatusCode, f.srv.Online())
	}
	if resp := put(`{"online":true}`, jsonCT); resp.StatusCode != 200 || !f.srv.Online() {
		t.Errorf("PUT device online: %d", resp.StatusCode)
	}

	resp, err := http.Post(f.ts.URL+"/api/v1/channels", "application/json", nil)
	if err != nil {
		t.Fatal(err)
	}
	var created struct {
		Channel ChannelView `json:"channel"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&created)
	resp.Body.Close()
	if resp.StatusCode != 201 || !strings.HasPrefix(created.Channel.URI, f.ts.URL+"/?token=") {
		t.Fatalf("POST channels: %d %+v", resp.StatusCode, created)
	}
	resp, _ = http.Get(f.ts.URL + "/api/v1/channels")
	var list ChannelList
	_ = json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list.Channels) != 2 || list.Channels[1].Token != created.Channel.Token {
		t.Errorf("GET channels: %+v, want the first channel and the new one", list)
	}

	req, _ := http.NewRequest("GET", f.ts.URL+"/api/v1/channels", nil)
	req.Host = "attacker.example"
	resp, _ = http.DefaultClient.Do(req)
	resp.Body.Close()
	if resp.StatusCode != http.StatusMisdirectedRequest {
		t.Errorf("GET channels with Host attacker.example: %d, want 421", resp.StatusCode)
	}
}

// A channel created by another process (`bgtask channel new`) while the
// server runs is found.
func TestChannelCreatedElsewhereIsFound(t *testing.T) {
	f := newFixture(t, nil)
	ch, err := Store{Dir: f.srv.cfg.Store.Dir}.NewChannel(context.Background(), "", time.Hour, f.clock.Now())
	if err != nil {
		t.Fatal(err)
	}
	wantStatus(t, f.do(t, "POST", ch.URI(f.ts.URL), f.rawHeaders(), "x"), 200, "a channel made by another process")
}

// Shutdown lets the running delivery finish, drops what is queued, and
// refuses new notifications.
func TestShutdownDrainsAndRefuses(t *testing.T) {
	f := newFixture(t, nil)
	f.del.block = make(chan struct{})
	wantStatus(t, f.send(t, "running", nil), 200, "running")
	f.del.next(t)
	wantStatus(t, f.send(t, "queued", nil), 200, "queued")
	done := make(chan struct{})
	go func() {
		f.srv.Shutdown(context.Background())
		close(done)
	}()
	select {
	case <-done:
		t.Fatal("Shutdown returned while a delivery was running")
	case <-time.After(50 * time.Millisecond):
	}
	wantStatus(t, f.send(t, "late", nil), 503, "after shutdown began")
	close(f.del.block)
	<-done
	f.del.none(t)
	kinds := strings.Join(f.events.kinds(), " ")
	if !strings.Contains(kinds, "stopping") || !strings.Contains(kinds, "dropped") {
		t.Errorf("events %s: want stopping and the queued one dropped", kinds)
	}
}

// Shutdown cancels a delivery that outlasts the grace period.
func TestShutdownCancelsAfterGrace(t *testing.T) {
	f := newFixture(t, nil)
	f.del.block = make(chan struct{}) // never closed: only ctx ends it
	wantStatus(t, f.send(t, "hang", nil), 200, "hang")
	f.del.next(t)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	f.srv.Shutdown(ctx)
	if d := time.Since(start); d > 3*time.Second {
		t.Errorf("Shutdown took %v with a 100ms grace", d)
	}
}

// Going online answers at once, also when the cached notifications do not
// fit the queue: they wait for room on their own and are all delivered.
// The inbox's PUT /api/v1/device used to block until the write timeout,
// and its switch failed with no answer (hostile review).
func TestGoingOnlineAnswersWhileTheQueueIsFull(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Offline = true; c.Queue = 1 })
	f.del.block = make(chan struct{})
	cache := func(h http.Header) { h.Set("X-WNS-Cache-Policy", "cache") }
	f.send(t, "c0", cache)
	for i := 1; i < 4; i++ {
		ch, err := f.srv.NewChannel(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		h := f.rawHeaders()
		cache(h)
		wantStatus(t, f.do(t, "POST", ch.URI(f.ts.URL), h, fmt.Sprintf("c%d", i)), 200, "cache on another channel")
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		h := http.Header{"Content-Type": {"application/json"}}
		resp := f.do(t, "PUT", f.ts.URL+"/api/v1/device", h, `{"online":true}`)
		if resp.StatusCode != 200 {
			t.Errorf("PUT online: %d", resp.StatusCode)
		}
	}()
	select {
	case <-done:
	case <-time.After(3 * time.Second):
		t.Fatal("PUT /api/v1/device {online:true} did not answer while the queue was full")
	}
	close(f.del.block)
	got := map[string]bool{}
	for range 4 {
		got[string(f.del.next(t).Payload)] = true
	}
	if len(got) != 4 {
		t.Errorf("delivered %v, want the four cached notifications", got)
	}
}

// windows-facts.md §6 X-WNS-TTL: a cached notification expires when its
// TTL passes while the device stays offline, with an expired event then,
// not only when the device comes back (hostile review: it stayed cached,
// and a later send reported it "replaced" instead).
func TestCachedNotificationExpiresWhenItsTTLPasses(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Offline = true; c.Now = time.Now })
	f.send(t, "short", func(h http.Header) { h.Set("X-WNS-Cache-Policy", "cache"); h.Set("X-WNS-TTL", "1") })
	if len(f.srv.Cached()) != 1 {
		t.Fatalf("cached %d, want the notification", len(f.srv.Cached()))
	}
	f.waitEvents(t, EventExpired, 1)
	if len(f.srv.Cached()) != 0 {
		t.Error("the expired notification is still cached")
	}
	f.send(t, "next", func(h http.Header) { h.Set("X-WNS-Cache-Policy", "cache") })
	for _, k := range f.events.kinds() {
		if k == EventDropped {
			t.Error("the next send reported the expired one as dropped (replaced)")
		}
	}
}

// X-WNS-TTL: 0 is valid only for a notification delivered at once: to an
// online device whose app runs no task it is delivered (it was answered
// received and expired at once); while a task runs it expires in the
// queue; offline it is not kept in the cache.
func TestTTLZero(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Now = time.Now })
	block := make(chan struct{})
	f.del.block = block // before any delivery reads it
	ttl0 := func(h http.Header) { h.Set("X-WNS-TTL", "0") }
	f.send(t, "now", ttl0)
	if n := f.del.next(t); string(n.Payload) != "now" {
		t.Errorf("delivered %q", n.Payload)
	}
	// "now" runs, and blocks: "later" waits behind it.
	f.send(t, "later", ttl0)
	close(block)
	f.waitEvents(t, EventExpired, 1)
	f.del.none(t)

	f.srv.SetOnline(false)
	f.send(t, "offline", func(h http.Header) { ttl0(h); h.Set("X-WNS-Cache-Policy", "cache") })
	f.waitEvents(t, EventExpired, 2)
	if len(f.srv.Cached()) != 0 {
		t.Error("a notification with TTL 0 stayed cached")
	}
}

// A notification's own events come after its request event: cached (and
// the one it replaced, dropped) as much as a delivery's (hostile review:
// cached came first).
func TestCachedComesAfterTheRequest(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Offline = true })
	cache := func(h http.Header) { h.Set("X-WNS-Cache-Policy", "cache") }
	f.send(t, "one", cache)
	f.send(t, "two", cache)
	f.events.waitFor(t, EventDropped, 1)
	var got []string
	for _, k := range f.events.kinds() {
		if k != EventToken {
			got = append(got, k)
		}
	}
	want := []string{EventRequest, EventCached, EventRequest, EventCached, EventDropped}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("events %v, want %v", got, want)
	}
}

// serveWithoutGrace runs a server of cfg (in a fresh state folder, with no
// rate limit) with --shutdown-grace 0, and returns it, its first channel,
// and stop, which stops it and returns how long Serve took to return.
func serveWithoutGrace(t *testing.T, cfg Config) (*Server, Channel, func() time.Duration) {
	t.Helper()
	cfg.Store, cfg.Rate = Store{Dir: t.TempDir()}, rate.Inf
	srv, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- srv.Serve(ctx, ln, ServeOptions{Grace: 0}) }()
	ch, err := srv.FirstChannel(context.Background())
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	stop := func() time.Duration {
		t.Helper()
		start := time.Now()
		cancel()
		select {
		case <-done:
		case <-time.After(DefaultGrace + 5*time.Second):
			t.Fatal("serve did not stop")
		}
		return time.Since(start)
	}
	return srv, ch, stop
}

// --shutdown-grace 0 cancels the running delivery at once; it used to mean
// the default 10 s (hostile review).
func TestServeWithNoGraceCancelsAtOnce(t *testing.T) {
	del := newFakeDeliverer()
	del.block = make(chan struct{}) // never opened: only the cancel ends a delivery
	srv, ch, stop := serveWithoutGrace(t, Config{Deliverer: del})
	if !srv.enqueue(Notification{MsgID: "M", Channel: ch, Payload: []byte("x")}) {
		t.Fatal("not queued")
	}
	del.next(t) // running, and blocked
	if took := stop(); took > DefaultGrace/2 {
		t.Errorf("serve took %v to stop with no grace", took)
	}
}

// idleDeliverer is a fakeDeliverer that counts the worker's Idle calls.
type idleDeliverer struct {
	*fakeDeliverer
	idles atomic.Int32
}

func (d *idleDeliverer) Idle() { d.idles.Add(1) }

// The worker tells its deliverer when the queue has run dry, whatever the
// last notification became: the broker's plugin process started ahead for
// it must not outlive the burst (hostile review: the last one of a burst
// expired in the queue, and the process started for it stayed, holding
// the plugin's executable, until serve stopped).
func TestWorkerTellsTheDelivererWhenTheQueueRunsDry(t *testing.T) {
	var d *idleDeliverer
	f := newFixture(t, func(c *Config) {
		c.Now = time.Now
		d = &idleDeliverer{fakeDeliverer: c.Deliverer.(*fakeDeliverer)}
		c.Deliverer = d
	})
	block := make(chan struct{})
	f.del.block = block // before any delivery reads it
	ttl0 := func(h http.Header) { h.Set("X-WNS-TTL", "0") }
	f.send(t, "now", ttl0)
	f.del.next(t)
	f.send(t, "later", ttl0) // waits behind "now", and expires there
	if n := d.idles.Load(); n != 0 {
		t.Errorf("Idle called %d time(s) while a delivery ran and another waited", n)
	}
	close(block)
	f.waitEvents(t, EventExpired, 1)
	deadline := time.Now().Add(5 * time.Second)
	for d.idles.Load() == 0 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	if d.idles.Load() == 0 {
		t.Error("the queue ran dry on an expired notification, and the deliverer was not told")
	}
}

// The last events of a stop (the running delivery's end, what the queue
// drops) reach the caller's sink even when the grace is over: with
// --shutdown-grace 0, or after the grace ran out, the wait for the sink used
// that same spent grace, and serve returned with them unwritten (a new
// user's report: `serve > file` ended at the cancel, without `delivery` or
// `dropped`). The sink here is slow, as a file on a busy disk can be.
func TestLastEventsAreWrittenWhenTheGraceIsOver(t *testing.T) {
	del := &endingDeliverer{newFakeDeliverer()}
	del.block = make(chan struct{}) // only the cancel ends a delivery
	sink := &eventLog{}
	slow := func(e Event) {
		time.Sleep(20 * time.Millisecond)
		sink.add(e)
	}
	srv, ch, stop := serveWithoutGrace(t, Config{Deliverer: del, Events: slow})
	for _, id := range []string{"RUNNING", "QUEUED"} {
		if !srv.enqueue(Notification{MsgID: id, Channel: ch, Payload: []byte("x")}) {
			t.Fatal("not queued")
		}
	}
	del.next(t)
	stop()
	got := sink.kinds() // as serve returns: nothing is written after it
	for _, want := range []string{EventStopping, EventEnded, EventDropped} {
		if !slices.Contains(got, want) {
			t.Errorf("no %s event in the sink when serve returned: %v", want, got)
		}
	}
}

// endingDeliverer is a fakeDeliverer that says when its delivery ended, as
// the broker's does.
type endingDeliverer struct{ *fakeDeliverer }

func (d *endingDeliverer) Deliver(ctx context.Context, n Notification, emit func(Event)) {
	d.fakeDeliverer.Deliver(ctx, n, emit)
	emit(Event{Kind: EventEnded, MsgID: n.MsgID})
}

// waitingDeliverer is a fakeDeliverer that counts the Waiting calls.
type waitingDeliverer struct {
	*fakeDeliverer
	waits atomic.Int32
}

func (d *waitingDeliverer) Waiting() { d.waits.Add(1) }

// Each notification queued tells the deliverer, so that a delivery running
// then can start the next one's plugin process ahead (serve --prestart); a
// notification the full queue refuses does not.
func TestQueuedNotificationTellsTheDeliverer(t *testing.T) {
	d := &waitingDeliverer{fakeDeliverer: newFakeDeliverer()}
	d.block = make(chan struct{})
	srv, err := New(context.Background(), Config{Store: Store{Dir: t.TempDir()}, Deliverer: d, Rate: rate.Inf, Queue: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Shutdown(context.Background())
	defer close(d.block) // first: Shutdown waits for the running delivery
	ch, err := srv.FirstChannel(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !srv.enqueue(Notification{MsgID: "RUNNING", Channel: ch}) {
		t.Fatal("not queued")
	}
	d.next(t)
	if !srv.enqueue(Notification{MsgID: "WAITING", Channel: ch}) {
		t.Fatal("not queued")
	}
	if srv.enqueue(Notification{MsgID: "REFUSED", Channel: ch}) {
		t.Fatal("a full queue took a notification")
	}
	if n := d.waits.Load(); n != 2 {
		t.Errorf("Waiting called %d times for 2 notifications queued, want 2", n)
	}
}
