package wns

import (
	"encoding/json"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
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
