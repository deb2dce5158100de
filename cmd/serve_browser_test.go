package cmd

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
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
	// Hang ignores its cancel: fired by hand, it runs into the time limit,
	// is cancelled, and is killed when the grace period is over.
	exe, err := exec.LookPath("bgtask-testplugin")
	if err != nil {
		t.Fatal(err)
	}
	mustExecute(t, "register", "--no-manifest-check", "--name", "Hang", "--entry-point", "Tasks.OtherTask", "--trigger", "application", "--plugin", exe, "--", "hang")
	const timeout, grace = 2 * time.Second, time.Second
	s := startServe(t, "--plain-http", "--timeout", timeout.String(), "--grace", grace.String())

	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chrome), chromedp.NoSandbox, chromedp.Flag("disable-dev-shm-usage", true), chromedp.WindowSize(1200, 1000))...)
	defer cancelAlloc()
	ctx, cancel := chromedp.NewContext(alloc)
	defer cancel()
	ctx, cancelTimeout := context.WithTimeout(ctx, 180*time.Second) // a cold browser start took 40 s once
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
	// fire clicks name's button until its run starts: one trigger runs at a
	// time, and the previous one may hold it for an instant after its
	// outcome shows.
	fire := func(name string) {
		t.Helper()
		for attempt := 0; ; attempt++ {
			if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](
				`[...document.querySelectorAll('#registrations button')].find(b => b.textContent.startsWith(`+strconv.Quote(name+" (")+`)).click()`)); err != nil {
				t.Fatal(err)
			}
			deadline := time.Now().Add(5 * time.Second)
			for time.Now().Before(deadline) && !strings.Contains(text("#triggered"), "inbox: "+name) {
				time.Sleep(100 * time.Millisecond)
			}
			if strings.Contains(text("#triggered"), "inbox: "+name) {
				return
			}
			if attempt == 5 {
				t.Fatalf("firing %s did not start it:\n%s", name, text("#triggered"))
			}
		}
	}
	waitText("#registrations", "the trigger buttons", func(s string) bool {
		return strings.Contains(s, "Progress (push)") && strings.Contains(s, "Hang (application)")
	})
	fire("Progress")
	waitText("#triggered", "the fired registration's run", func(s string) bool { return strings.Contains(s, "Progress") && strings.Contains(s, "completed") })

	// The timeline: Hang's row has its phases as segments, one after the
	// other, as long as the policy says (the running segment is the time
	// limit, the grace segment the grace period), each with its title.
	type segment struct {
		Phase, Title string
		From, MS     float64
	}
	// segments reads the timeline row's segments (rows are g.row with the
	// instance's registration name and msgId) once done says they are all
	// there.
	segments := func(row string, done func([]segment) bool) []segment {
		t.Helper()
		deadline := time.Now().Add(30 * time.Second)
		for {
			out, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify([...document.querySelectorAll('#timeline g.row`+row+` rect')].map(r =>
				({phase: r.dataset.phase, from: Number(r.dataset.from), ms: Number(r.dataset.ms), title: r.querySelector('title') ? r.querySelector('title').textContent : ''})))`))
			if err != nil {
				t.Fatal(err)
			}
			var segs []segment
			if err := json.Unmarshal([]byte(out), &segs); err != nil {
				t.Fatal(err)
			}
			if done(segs) {
				return segs
			}
			if time.Now().After(deadline) {
				t.Fatalf("timeline row %s: waited 30s; it has %+v\nserve:\n%s", row, segs, s.out)
			}
			time.Sleep(100 * time.Millisecond)
		}
	}
	has := func(phase string) func([]segment) bool {
		return func(segs []segment) bool {
			return slices.ContainsFunc(segs, func(sg segment) bool { return sg.Phase == phase })
		}
	}
	fire("Hang")
	segments(`[data-name="Hang"]`, has("running"))
	// A notification sent while Hang runs waits for it: the app runs one
	// push task at a time.
	resp := s.sendRaw(t, tok, "while Hang runs", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("send while Hang runs: %d", resp.StatusCode)
	}
	waiting := `[data-msg="` + resp.Header.Get("X-WNS-Msg-ID") + `"]`
	// Once Hang has ended (its start is split into starting and running
	// then), all its segments are there.
	segs := segments(`[data-name="Hang"]`, func(segs []segment) bool { return has("killed")(segs) && has("starting")(segs) })
	after := segments(waiting, has("completed"))
	got := map[string]segment{}
	var order []string
	for _, sg := range segs {
		got[sg.Phase] = sg
		order = append(order, sg.Phase)
		label := sg.Phase
		if label == "cancel" {
			label = "cancel sent"
		}
		if !strings.HasPrefix(sg.Title, label) {
			t.Errorf("segment %s has the title %q, want it to start with %q", sg.Phase, sg.Title, label)
		}
	}
	// Drawn in this order (marks last); each is where the previous ends.
	if want := "queued starting running grace killed cancel"; strings.Join(order, " ") != want {
		t.Fatalf("Hang's segments: %v, want %s; segments %+v", order, want, segs)
	}
	const ms, tick = float64(time.Millisecond), 20 // the page rounds to the millisecond; clocks tick
	near := func(a, b float64) bool { return a-b <= 2 && b-a <= 2 }
	if q, st, r := got["queued"], got["starting"], got["running"]; !near(q.From+q.MS, st.From) || !near(st.From+st.MS, r.From) {
		t.Errorf("queued %+v, starting %+v, running %+v do not follow each other", q, st, r)
	}
	if r, c, g := got["running"], got["cancel"], got["grace"]; r.MS < float64(timeout)/ms-tick || r.MS > float64(timeout+5*time.Second)/ms ||
		!near(r.From+r.MS, c.From) || !near(c.From, g.From) {
		t.Errorf("running %+v, cancel sent %+v, grace %+v: want a running segment of the %v time limit, then the cancel and the grace", r, c, g, timeout)
	}
	if g, k := got["grace"], got["killed"]; g.MS < float64(grace)/ms-tick || g.MS > float64(grace+5*time.Second)/ms || !near(g.From+g.MS, k.From) {
		t.Errorf("grace %+v, killed %+v: want a grace segment of the %v grace period, then the kill", g, k, grace)
	}
	var queued, started segment
	for _, sg := range after {
		switch sg.Phase {
		case "queued":
			queued = sg
		case "starting":
			started = sg
		}
	}
	if k := got["killed"]; queued.MS <= 0 || queued.From > k.From || started.From < k.From+k.MS-2 {
		t.Errorf("the notification sent while Hang ran: queued %+v, started %+v; Hang was killed %+v: want it queued until Hang was gone", queued, started, k)
	}
	// The page's phases() on the other ways an instance ends, from steps
	// given in milliseconds.
	for steps, want := range map[string]string{
		// Completed, then did not exit: killed a grace period later.
		`{queuedAt: 0, startedAt: 10, runAt: 20, completedAt: 100, killedAt: 400, endedAt: 410, outcome: 'completed'}`: "queued 0-10, starting 10-20, running 20-100, grace 100-400, completed 100-100, killed 400-410",
		// Stopped when cancelled.
		`{queuedAt: 0, startedAt: 10, runAt: 20, canceledAt: 320, completedAt: 330, endedAt: 340, outcome: 'canceled'}`: "queued 0-10, starting 10-20, running 20-320, cancel 320-320, grace 320-330, ended 330-340",
		// No handshake: killed before it ran.
		`{queuedAt: 0, startedAt: 10, killedAt: 310, endedAt: 320, outcome: 'not-started'}`: "queued 0-10, starting 10-310, killed 310-320",
		// Crashed while running.
		`{queuedAt: 0, startedAt: 10, runAt: 20, endedAt: 50, outcome: 'failed'}`: "queued 0-10, starting 10-20, running 20-50, ended 50-50",
		// Still running (now is 100).
		`{queuedAt: 0, startedAt: 10}`: "queued 0-10, running 10-100",
		// Cancelled, still in its grace period; then killed, its processes
		// not yet gone (the cancel and killed events come before the end).
		`{queuedAt: 0, startedAt: 10, canceledAt: 60}`:               "queued 0-10, running 10-60, cancel 60-60, grace 60-100",
		`{queuedAt: 0, startedAt: 10, canceledAt: 60, killedAt: 90}`: "queued 0-10, running 10-60, cancel 60-60, grace 60-90, killed 90-100",
		// Waiting for its conditions: never started.
		`{queuedAt: 0, started: 5, outcome: 'waiting-for-conditions'}`: "queued 0-5",
	} {
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`phases(`+steps+`, 100).map(s => s.phase + ' ' + s.from + '-' + s.to).join(', ')`))
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("phases(%s) = %s, want %s", steps, got, want)
		}
	}
	// Each row is named, for assistive technology, by a summary of its phases.
	summary, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('#timeline g.row[data-name="Hang"] > title').textContent`))
	if err != nil {
		t.Fatal(err)
	}
	for _, part := range []string{"Hang, msg ", ": queued ", ", starting ", ", running ", ", cancel sent (ExecutionTimeExceeded), grace ", ", killed (terminated)"} {
		if !strings.Contains(summary, part) {
			t.Errorf("Hang's row is titled %q, want it to hold %q", summary, part)
		}
	}
	legend := text("#timeline-legend")
	for _, phase := range []string{"queued", "starting", "running", "cancel sent", "grace", "killed", "completed"} {
		if !strings.Contains(legend, phase) {
			t.Errorf("the legend has no %q: %q", phase, legend)
		}
	}

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
