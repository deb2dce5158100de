package wns

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"
)

// The inbox page is served at / with a strict Content-Security-Policy (its
// own script and style only, no inline script, no framing) and
// Referrer-Policy no-referrer; --no-ui turns it off.
func TestInboxPageHeaders(t *testing.T) {
	f := newFixture(t, nil)
	for path, ct := range map[string]string{"/": "text/html", "/inbox/inbox.js": "text/javascript", "/inbox/inbox.css": "text/css"} {
		resp, err := http.Get(f.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		csp := resp.Header.Get("Content-Security-Policy")
		if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), ct) ||
			!strings.Contains(csp, "default-src 'none'") || !strings.Contains(csp, "script-src 'self'") || strings.Contains(csp, "unsafe") ||
			resp.Header.Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("GET %s: %d %q, CSP %q, Referrer-Policy %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), csp, resp.Header.Get("Referrer-Policy"))
		}
	}
	off := newFixture(t, func(c *Config) { c.NoUI = true })
	for path, want := range map[string]int{"/": 200, "/inbox/inbox.js": 404} {
		resp, err := http.Get(off.ts.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != want || (path == "/" && !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain")) {
			t.Errorf("--no-ui: GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
	}
}

// The page's own code keeps to what the CSP allows and renders untrusted
// text as text: no inline script or handler in the HTML, and the script
// never assigns HTML (innerHTML, outerHTML, insertAdjacentHTML,
// document.write).
func TestInboxAssetsRenderTextOnly(t *testing.T) {
	html, _ := inboxFiles.ReadFile("inbox/index.html")
	js, _ := inboxFiles.ReadFile("inbox/inbox.js")
	if m := regexp.MustCompile(`<script(?:\s[^>]*)?>[^<]|\son[a-z]+=`).Find(html); m != nil {
		t.Errorf("index.html has inline script or an event handler attribute: %q", m)
	}
	for _, sink := range []string{"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("} {
		if strings.Contains(string(js), sink) {
			t.Errorf("inbox.js uses %s", sink)
		}
	}
}

// The inbox's test send goes through the same rules and delivery as any
// send; another site's page cannot use it.
func TestInboxTestSend(t *testing.T) {
	f := newFixture(t, nil)
	post := func(body string, h map[string]string) (*http.Response, map[string]any) {
		req, _ := http.NewRequest("POST", f.ts.URL+"/api/v1/send", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		for k, v := range h {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		data, _ := io.ReadAll(resp.Body)
		var doc map[string]any
		_ = json.Unmarshal(data, &doc)
		return resp, doc
	}
	resp, doc := post(`{"channel":"`+f.channel.Token+`","payload":"<script>x</script>","cachePolicy":"no-cache","ttl":30}`, nil)
	if resp.StatusCode != 200 || doc["status"] != float64(200) || doc["notificationStatus"] != "received" {
		t.Fatalf("test send: %d %v", resp.StatusCode, doc)
	}
	if n := f.del.next(t); string(n.Payload) != "<script>x</script>" || n.Expires.Sub(n.Received).Seconds() != 30 {
		t.Errorf("delivered %+v", n)
	}
	if _, doc := post(`{"channel":"`+f.channel.Token+`","payload":""}`, nil); doc["status"] != float64(400) {
		t.Errorf("an empty test send: %v, want the send rules' 400", doc)
	}
	if resp, _ := post(`{"channel":"`+f.channel.Token+`","payload":"x"}`, map[string]string{"Sec-Fetch-Site": "cross-site", "Origin": "https://evil.example"}); resp.StatusCode != 403 {
		t.Errorf("a cross-site test send: %d, want 403", resp.StatusCode)
	}
	f.del.none(t)
}

// fakeTriggerer is a fakeDeliverer that can also fire registrations.
type fakeTriggerer struct {
	*fakeDeliverer
	fired chan string
}

func (f *fakeTriggerer) Registrations() ([]RegistrationInfo, error) {
	return []RegistrationInfo{{Name: "RawPush", EntryPoint: "Tasks.T", Trigger: "push", Push: true}}, nil
}

func (f *fakeTriggerer) Trigger(ctx context.Context, msgID, name string, payload []byte, emit func(Event)) {
	f.fired <- name + ":" + string(payload)
	zero := 0
	emit(Event{Kind: EventDelivery, MsgID: msgID, Disposition: "delivered", Instances: &zero})
}

// The inbox fires a registration by hand without waiting for it; its run
// arrives as events under the answered msgId.
func TestInboxTrigger(t *testing.T) {
	ft := &fakeTriggerer{fakeDeliverer: newFakeDeliverer(), fired: make(chan string, 1)}
	f := newFixture(t, func(c *Config) { c.Deliverer = ft })
	var regs struct {
		Registrations []RegistrationInfo `json:"registrations"`
	}
	getJSON(t, f.ts.URL+"/api/v1/registrations", &regs)
	if len(regs.Registrations) != 1 || regs.Registrations[0].Name != "RawPush" {
		t.Fatalf("registrations %+v", regs)
	}
	resp, err := http.Post(f.ts.URL+"/api/v1/trigger", "application/json", strings.NewReader(`{"name":"RawPush","payload":"hi"}`))
	if err != nil {
		t.Fatal(err)
	}
	var ans struct{ MsgID string }
	_ = json.NewDecoder(resp.Body).Decode(&ans)
	resp.Body.Close()
	if resp.StatusCode != 202 || ans.MsgID == "" {
		t.Fatalf("trigger: %d %+v", resp.StatusCode, ans)
	}
	select {
	case got := <-ft.fired:
		if got != "RawPush:hi" {
			t.Errorf("fired %q", got)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the registration was not fired")
	}
	f.waitEvents(t, EventDelivery, 1)
	evs, _ := f.srv.history.since(0)
	kinds := []string{}
	for _, ev := range evs {
		if ev.MsgID == ans.MsgID {
			kinds = append(kinds, ev.Kind)
		}
	}
	if strings.Join(kinds, " ") != "trigger delivery" {
		t.Errorf("events of the trigger: %v", kinds)
	}
	if resp, _ := http.Post(f.ts.URL+"/api/v1/trigger", "text/plain", strings.NewReader(`{"name":"RawPush"}`)); resp.StatusCode != 415 {
		t.Errorf("a form-like trigger: %d, want 415", resp.StatusCode)
	}
}
