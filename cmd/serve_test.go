package cmd

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for serve's writer goroutines.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// runningServe is a `bgtask serve` started in-process by startServe.
type runningServe struct {
	ready struct {
		URL          string `json:"url"`
		ChannelURI   string `json:"channelUri"`
		CA           string `json:"ca"`
		ClientID     string `json:"clientId"`
		ClientSecret string `json:"clientSecret"`
	}
	readyFile string
	client    *http.Client
	out       *syncBuffer
	errOut    *syncBuffer
	stop      context.CancelFunc
	code      chan int
}

// startServe runs `bgtask serve --listen 127.0.0.1:0 --ready-file … args`
// in the working folder and waits until it is ready.
func startServe(t *testing.T, args ...string) *runningServe {
	t.Helper()
	return startServeAt(t, "127.0.0.1:0", args...)
}

// startServeAt is startServe listening on listen.
func startServeAt(t *testing.T, listen string, args ...string) *runningServe {
	t.Helper()
	readyFile := filepath.Join(t.TempDir(), "ready.json")
	ctx, cancel := context.WithCancel(context.Background())
	io, _, _, _ := TestIO()
	s := &runningServe{readyFile: readyFile, out: &syncBuffer{}, errOut: &syncBuffer{}, stop: cancel, code: make(chan int, 1)}
	io.Out, io.ErrOut = s.out, s.errOut
	all := append([]string{"serve", "--listen", listen, "--ready-file", readyFile}, args...)
	go func() { s.code <- Execute(ctx, io, all) }()
	t.Cleanup(func() { s.shutdown(t) })
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(readyFile)
		if err == nil && json.Unmarshal(data, &s.ready) == nil {
			break
		}
		select {
		case code := <-s.code:
			s.code <- code
			t.Fatalf("serve exited %d before it was ready: %s", code, s.errOut)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve not ready within 10s: %s", s.errOut)
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.client = newServeClient(t, s.ready.CA)
	return s
}

// newServeClient is an HTTP client trusting the CA file ca (none: plain).
func newServeClient(t *testing.T, ca string) *http.Client {
	t.Helper()
	tr := &http.Transport{}
	if ca != "" {
		pem, err := os.ReadFile(ca)
		if err != nil {
			t.Fatal(err)
		}
		pool := x509.NewCertPool()
		pool.AppendCertsFromPEM(pem)
		tr.TLSClientConfig = &tls.Config{RootCAs: pool}
	}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 10 * time.Second}
}

// shutdown stops serve as Ctrl-C does and returns its exit code.
func (s *runningServe) shutdown(t *testing.T) int {
	t.Helper()
	s.stop()
	select {
	case code := <-s.code:
		s.code <- code
		return code
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not stop within 20s of its context being cancelled")
		return -1
	}
}

func (s *runningServe) token(t *testing.T) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {s.ready.ClientID}, "client_secret": {s.ready.ClientSecret}, "scope": {"notify.windows.com"}}
	resp, err := s.client.PostForm(s.ready.URL+"/accesstoken.srf", form)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tr struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tr); err != nil || resp.StatusCode != 200 {
		t.Fatalf("token: %d %v", resp.StatusCode, err)
	}
	return tr.AccessToken
}

func (s *runningServe) do(t *testing.T, method, target, contentType, body string, h map[string]string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, target, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	for k, v := range h {
		req.Header.Set(k, v)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func (s *runningServe) sendRaw(t *testing.T, token, payload string, h map[string]string) *http.Response {
	t.Helper()
	all := map[string]string{"Authorization": "Bearer " + token, "X-WNS-Type": "wns/raw"}
	for k, v := range h {
		all[k] = v
	}
	return s.do(t, "POST", s.ready.ChannelURI, "application/octet-stream", payload, all)
}

func (s *runningServe) setDevice(t *testing.T, online bool) {
	t.Helper()
	resp := s.do(t, "PUT", s.ready.URL+"/api/v1/device", "application/json", fmt.Sprintf(`{"online":%v}`, online), nil)
	if resp.StatusCode != 200 {
		t.Fatalf("PUT /api/v1/device: %d", resp.StatusCode)
	}
}

// waitFor waits until serve's output holds substr count times.
func (s *runningServe) waitFor(t *testing.T, substr string, count int) {
	t.Helper()
	deadline := time.Now().Add(90 * time.Second)
	for strings.Count(s.out.String(), substr) < count {
		if time.Now().After(deadline) {
			t.Fatalf("serve's output has not %d × %s after 90s:\n%s\nstderr:\n%s", count, substr, s.out, s.errOut)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// events parses serve's --json output, one object per line.
func (s *runningServe) events(t *testing.T) []map[string]any {
	t.Helper()
	var evs []map[string]any
	sc := bufio.NewScanner(strings.NewReader(s.out.String()))
	for sc.Scan() {
		var ev map[string]any
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("serve --json wrote a line that is not JSON: %q", sc.Text())
		}
		evs = append(evs, ev)
	}
	return evs
}

// inServeApp makes the working folder an app with the seed manifest.
func inServeApp(t *testing.T) {
	t.Helper()
	seed, err := os.ReadFile(mustAbs("../testdata/seed/Package.appxmanifest"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	writeFile(t, "Package.appxmanifest", string(seed))
}

// Every line serve --json writes follows docs/json.md's table, and the
// events a session causes are all there, ready first, and serve exits 0
// when stopped.
func TestServeJSONEventsFollowDocs(t *testing.T) {
	doc := readJSONDoc(t)
	inServeApp(t)
	registerTestPlugin(t, "Progress", "progress")
	s := startServe(t, "--json")
	resp := s.do(t, "POST", s.ready.URL+"/accesstoken.srf", "application/x-www-form-urlencoded", "grant_type=client_credentials&client_id=x&client_secret=y&scope=notify.windows.com", nil)
	if resp.StatusCode != 400 {
		t.Errorf("token with wrong credentials: %d", resp.StatusCode)
	}
	tok := s.token(t)
	if resp := s.sendRaw(t, tok, "hello", map[string]string{"X-WNS-TTL": "60"}); resp.StatusCode != 200 {
		t.Errorf("send: %d %s", resp.StatusCode, resp.Header.Get("X-WNS-Error-Description"))
	}
	if resp := s.sendRaw(t, tok, "x", map[string]string{"X-WNS-Tag": "t"}); resp.StatusCode != 400 {
		t.Errorf("send with X-WNS-Tag: %d", resp.StatusCode)
	}
	s.setDevice(t, false)
	s.sendRaw(t, tok, "first", map[string]string{"X-WNS-Cache-Policy": "cache"})
	s.sendRaw(t, tok, "second", map[string]string{"X-WNS-Cache-Policy": "cache"})
	s.setDevice(t, true)
	if resp := s.do(t, "POST", s.ready.URL+"/api/v1/channels", "application/json", "", nil); resp.StatusCode != 201 {
		t.Errorf("POST /api/v1/channels: %d", resp.StatusCode)
	}
	// hello, then the newest cached one: two deliveries.
	s.waitFor(t, `"event":"delivery"`, 2)
	// The read API follows its tables too.
	for path, section := range map[string]string{"/api/v1/events": "GET /api/v1/events", "/api/v1/messages": "GET /api/v1/messages"} {
		resp, err := s.client.Get(s.ready.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, e := range doc.check(doc.sections[section], body) {
			t.Errorf("%s: %s", path, e)
		}
	}
	if code := s.shutdown(t); code != 0 {
		t.Fatalf("serve exited %d after Ctrl-C, want 0; stderr: %s", code, s.errOut)
	}

	sec := doc.sections["bgtask serve --json"]
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(s.out.String()))
	for n := 1; sc.Scan(); n++ {
		for _, e := range doc.check(sec, sc.Bytes()) {
			t.Errorf("line %d %s: %s", n, sc.Text(), e)
		}
		var ev struct{ Event string }
		_ = json.Unmarshal(sc.Bytes(), &ev)
		if n == 1 && ev.Event != "ready" {
			t.Errorf("the first line is a %q event, want ready", ev.Event)
		}
		seen[ev.Event] = true
	}
	for _, kind := range []string{"ready", "token", "request", "cached", "dropped", "device", "channel", "stopping", "started", "progress", "ended", "delivery"} {
		if !seen[kind] {
			t.Errorf("no %s event in:\n%s", kind, s.out)
		}
	}
}

// The ready lines: the address and the channel URI on one line each, then
// the credentials and the CA; the channel is the one channel list shows.
func TestServeTextReadyLines(t *testing.T) {
	inServeApp(t)
	s := startServe(t)
	lines := strings.Split(s.out.String(), "\n")
	if len(lines) < 2 || lines[0] != "listening on "+s.ready.URL || lines[1] != "channel "+s.ready.ChannelURI {
		t.Fatalf("first lines %q, want the address then the channel", lines)
	}
	if !strings.HasPrefix(s.ready.URL, "https://127.0.0.1:") || !strings.Contains(s.out.String(), s.ready.ClientSecret) {
		t.Errorf("ready: %+v", s.ready)
	}
	io, _, out, _ := TestIO()
	if code := Execute(context.Background(), io, []string{"channel", "list", "--server", s.ready.URL}); code != 0 {
		t.Fatal(code)
	}
	if !strings.Contains(out.String(), s.ready.ChannelURI) {
		t.Errorf("channel list does not show serve's channel %s:\n%s", s.ready.ChannelURI, out)
	}
}

// A channel made with `bgtask channel new` while serve runs takes
// notifications at once; --plain-http serves without TLS.
func TestServeChannelNewWhileRunning(t *testing.T) {
	inServeApp(t)
	s := startServe(t, "--plain-http")
	if !strings.HasPrefix(s.ready.URL, "http://") || s.ready.CA != "" {
		t.Fatalf("--plain-http: %+v", s.ready)
	}
	io, _, out, errOut := TestIO()
	if code := Execute(context.Background(), io, []string{"channel", "new", "--server", s.ready.URL}); code != 0 {
		t.Fatalf("channel new: %d %s", code, errOut)
	}
	uri := strings.TrimSpace(out.String())
	s.ready.ChannelURI = uri
	if resp := s.sendRaw(t, s.token(t), "x", nil); resp.StatusCode != 200 {
		t.Errorf("send to a channel made while serve runs: %d %s", resp.StatusCode, resp.Header.Get("X-WNS-Error-Description"))
	}
}

// registerTestPlugin registers name for push on bgtask-testplugin (see
// testplugin_test.go) started with args.
func registerTestPlugin(t *testing.T, name string, args ...string) {
	t.Helper()
	exe, err := exec.LookPath("bgtask-testplugin")
	if err != nil {
		t.Fatal(err)
	}
	mustExecute(t, append([]string{"register", "--name", name, "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push", "--plugin", exe, "--"}, args...)...)
}

func twoChannels(t *testing.T) {
	t.Helper()
	mustExecute(t, "channel", "new")
	mustExecute(t, "channel", "new", "--expires", "1ms")
	time.Sleep(5 * time.Millisecond)
}

// push --to sends through a running serve as an app server would; its
// --json answer follows docs/json.md; the exit code follows serve's answer.
func TestPushToServe(t *testing.T) {
	doc := readJSONDoc(t)
	inServeApp(t)
	record := filepath.Join(t.TempDir(), "got")
	registerTestPlugin(t, "Record", "record", record)
	s := startServe(t)
	push := func(args ...string) (int, string, string) {
		io, _, out, errOut := TestIO()
		code := Execute(context.Background(), io, append([]string{"push", "--to", s.ready.ChannelURI}, args...))
		return code, out.String(), errOut.String()
	}
	code, out, errOut := push("--payload", "via serve", "--json")
	if code != 0 {
		t.Fatalf("push --to: exit %d: %s %s", code, out, errOut)
	}
	for _, e := range doc.check(doc.sections["bgtask push --to URI --json"], []byte(out)) {
		t.Errorf("push --to --json: %s\n%s", e, out)
	}
	if data := waitForFile(t, record); string(data) != "via serve" {
		t.Errorf("the task received %q", data)
	}
	if code, out, _ := push("--payload", "x", "--header", "X-WNS-Tag=t"); code != ExitUsage || !strings.HasPrefix(out, "sent: 400 (X-WNS-Msg-ID") || !strings.Contains(out, "X-WNS-Tag") {
		// One space before the message id when there is no X-WNS-Status.
		t.Errorf("a refused send: exit %d, %q; want 2 and the 400 with its description", code, out)
	}
	s.setDevice(t, false)
	if code, out, _ := push("--payload", "x"); code != ExitNotDelivered || !strings.Contains(out, "200 dropped") {
		t.Errorf("to an offline device: exit %d, %q; want 3 and 200 dropped", code, out)
	}
	if code, out, _ := push("--payload", "x", "--header", "X-WNS-Cache-Policy=cache"); code != 0 || !strings.Contains(out, "200 received") {
		t.Errorf("cached for an offline device: exit %d, %q; want 0", code, out)
	}
	if code, out, errOut := push("--payload", "x", "--state", "InternetAvailable=false"); code != ExitUsage || out != "" || !strings.Contains(errOut, "does not go with --to") {
		t.Errorf("--state with --to: exit %d, %q %q", code, out, errOut)
	}
	s.shutdown(t)
	if code, out, errOut := push("--payload", "x"); code != ExitOperational || out != "" || !strings.Contains(errOut, "is bgtask serve running") {
		t.Errorf("serve stopped: exit %d, %q %q; want 4", code, out, errOut)
	}
}
