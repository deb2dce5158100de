package cmd

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// findChromium returns a Chromium or Chrome binary, or "".
func findChromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// The web inbox in a real browser (headless Chromium driven by chromedp):
// a notification sent as an app server sends it appears live, with its
// delivery and outcome; a <script> payload shows as text and does not run;
// the device switch takes the device offline, a cached notification waits,
// and going online delivers it; a registration's button fires it. A screenshot is saved as a test artifact
// ($BGTASK_TEST_ARTIFACTS, else the test's temporary folder).
func TestServeInboxInBrowser(t *testing.T) {
	chrome := findChromium()
	if chrome == "" {
		t.Skip("no chromium on PATH (Debian: apt-get install chromium; .ci/run installs it)")
	}
	inServeApp(t)
	registerTestPlugin(t, "Progress", "progress")
	s := startServe(t, "--plain-http")

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1200, 1000))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 90*time.Second)
	defer cancelTimeout()

	text := func(sel string) string {
		out, err := chromedp.Run(ctx, chromedp.TextContent(chromedp.CSS(sel)))
		if err != nil {
			t.Fatalf("reading %s: %v", sel, err)
		}
		return out
	}
	click := func(sel string) {
		if _, err := chromedp.Run(ctx, chromedp.Click(chromedp.CSS(sel))); err != nil {
			t.Fatalf("clicking %s: %v", sel, err)
		}
	}
	// waitText waits until the element's text satisfies ok.
	waitText := func(sel, what string, ok func(string) bool) {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			got := text(sel)
			if ok(got) {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: waited 30s for %s; it shows:\n%s\nserve:\n%s", sel, what, got, s.out)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	if _, err := chromedp.Run(ctx, chromedp.Navigate(s.ready.URL+"/")); err != nil {
		t.Fatal(err)
	}
	waitText("#live", "the live stream", func(s string) bool { return s == "live" })

	// Sent the way an app server sends it, after the page was opened.
	tok := s.token(t)
	evil := `<script>window.__inboxPwned = 1</script><img src=x onerror="window.__inboxPwned = 2">`
	if curl, err := exec.LookPath("curl"); err == nil {
		// As the documented request, from another program.
		out, err := exec.Command(curl, "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Authorization: Bearer "+tok,
			"-H", "Content-Type: application/octet-stream", "-H", "X-WNS-Type: wns/raw", "--data-binary", evil, s.ready.ChannelURI).CombinedOutput()
		if err != nil || string(out) != "200" {
			t.Fatalf("curl: %v %s", err, out)
		}
	} else if resp := s.sendRaw(t, tok, evil, nil); resp.StatusCode != 200 {
		t.Fatalf("send: %d", resp.StatusCode)
	}
	waitText("#messages", "the notification with its completed delivery", func(s string) bool {
		return strings.Contains(s, evil) && strings.Count(s, "completed") == 1
	})
	pwned, err := chromedp.Run(ctx, chromedp.Evaluate[any](`window.__inboxPwned === undefined ? null : window.__inboxPwned`))
	if err != nil {
		t.Fatal(err)
	}
	if pwned != nil {
		t.Fatalf("the payload ran in the page (window.__inboxPwned = %v)", pwned)
	}

	// Offline, a notification sent with the cache policy waits; online, it is delivered.
	click("#device-toggle")
	waitText("#device-state", "offline", func(s string) bool { return s == "offline" })
	if resp := s.sendRaw(t, tok, "kept for later", map[string]string{"X-WNS-Cache-Policy": "cache"}); resp.StatusCode != 200 {
		t.Fatalf("cached send: %d", resp.StatusCode)
	}
	waitText("#messages", "the cached notification", func(s string) bool { return strings.Contains(s, "kept for later") })
	waitText("#channels", "the channel's cached notification", func(s string) bool { return strings.Contains(s, "(14 bytes") })
	if got := text("#messages"); strings.Count(got, "completed") != 1 {
		t.Fatalf("the cached notification was delivered while the device was offline:\n%s", got)
	}
	click("#device-toggle")
	waitText("#device-state", "online", func(s string) bool { return s == "online" })
	waitText("#messages", "the cached notification delivered", func(s string) bool { return strings.Count(s, "completed") == 2 })
	waitText("#channels", "the cache emptied", func(s string) bool { return !strings.Contains(s, "(14 bytes") })

	// A registration fired by hand from its button.
	waitText("#registrations", "the trigger button", func(s string) bool { return strings.Contains(s, "Progress (push)") })
	click("#registrations button")
	waitText("#triggered", "the fired registration's run", func(s string) bool { return strings.Contains(s, "Progress") && strings.Contains(s, "completed") })

	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	dir := os.Getenv("BGTASK_TEST_ARTIFACTS")
	if dir == "" {
		dir = t.TempDir()
	}
	shot := filepath.Join(dir, "serve-inbox.png")
	if err := os.MkdirAll(dir, 0o755); err == nil {
		if err := os.WriteFile(shot, png, 0o644); err != nil {
			t.Error(err)
		}
		t.Logf("screenshot: %s", shot)
	}
}
