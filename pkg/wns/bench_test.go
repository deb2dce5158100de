package wns

import (
	"bufio"
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/simulate"
)

// BenchmarkServeProcess measures a real `bgtask serve` process (run it with
// bench/serve.sh, which prints the ratios). In one run:
//
//   - accepted notifications a second, 8 concurrent TLS clients sharing one
//     http.Client, against a bare net/http handler that answers 200 to the
//     same requests over the same TLS, rounds interleaved and medians taken
//     so machine load hits both alike (target: serve/bare >= 0.5);
//   - serve's peak RSS (VmHWM) under that load (target <= 50 MB);
//   - deliveries a second end to end (send, answer, broker, the no-op plugin
//     started and run, delivery event) against starting the same no-op
//     plugin back to back (target >= 0.8).
//
// Linux only: RSS comes from /proc.
func BenchmarkServeProcess(b *testing.B) {
	if runtime.GOOS != "linux" {
		b.Skip("reads serve's peak RSS from /proc")
	}
	dir := b.TempDir()
	bgtask, noop := filepath.Join(dir, "bgtask"), filepath.Join(dir, "noop")
	goBuild(b, bgtask, "../..")
	goBuild(b, noop, "../../testdata/plugins/noop")

	const rounds, perRound, workers = 5, 2000, 8
	accept := startServeProcess(b, bgtask, filepath.Join(dir, "accept"), "")
	client := benchClient(b, accept)
	bareURI := startBareServer(b, filepath.Join(dir, "bareserver"), accept) + "/?token=" + tokenOf(accept.ready.ChannelURI)

	var serveRates, bareRates []float64
	for b.Loop() {
		serveRates, bareRates = nil, nil
		for range rounds {
			bareRates = append(bareRates, sendLoad(b, client, bareURI, accept.token, perRound, workers))
			serveRates = append(serveRates, sendLoad(b, client, accept.ready.ChannelURI, accept.token, perRound, workers))
		}
	}
	client.CloseIdleConnections()
	sr, br := medianOf(serveRates), medianOf(bareRates)
	b.ReportMetric(sr, "serve-accepted/s")
	b.ReportMetric(br, "bare-accepted/s")
	b.ReportMetric(sr/br, "serve/bare")
	b.ReportMetric(accept.peakRSSMB(b), "serve-peak-RSS-MB")
	accept.stop(b)

	// End to end: batches of notifications, each started as a no-op plugin
	// instance, interleaved with batches of bare starts and of host runs so
	// that machine load hits all three alike; medians of the batches.
	const batches, n = 9, 20
	deliver := startServeProcess(b, bgtask, filepath.Join(dir, "deliver"), noop)
	dclient := benchClient(b, deliver)
	broker := &simulate.Broker{RegistryPath: filepath.Join(dir, "deliver", ".bgtask", "registry.json")}
	var e2es, startRates, hostRates []float64
	sides := []func(batch int){
		func(batch int) {
			start := time.Now()
			sendLoad(b, dclient, deliver.ready.ChannelURI, deliver.token, n, 1)
			deliver.waitDeliveries(b, (batch+1)*n)
			e2es = append(e2es, float64(n)/time.Since(start).Seconds())
		},
		func(int) {
			start := time.Now()
			for range n {
				if err := exec.Command(noop).Run(); err != nil { // stdin at end of file: it exits after its handshake
					b.Fatal(err)
				}
			}
			startRates = append(startRates, float64(n)/time.Since(start).Seconds())
		},
		// The broker alone (as bgtask push uses it), in this process, on
		// the same registry: what serve itself adds is e2e against this.
		func(int) {
			start := time.Now()
			for range n {
				rep, err := broker.Push(context.Background(), simulate.Notification{Payload: []byte("p")}, simulate.DeliveryOptions{}, simulate.DeliveryObserver{})
				if err != nil || !rep.AllCompleted() || len(rep.Instances) != 1 {
					b.Fatalf("broker push: %v %+v", err, rep)
				}
			}
			hostRates = append(hostRates, float64(n)/time.Since(start).Seconds())
		},
	}
	for i := range batches {
		// A different side goes first in each batch, as bench/pairs
		// alternates its two.
		for k := range sides {
			sides[(i+k)%len(sides)](i)
		}
	}
	e2e, starts, hostRuns := medianOf(e2es), medianOf(startRates), medianOf(hostRates)
	b.ReportMetric(hostRuns, "broker-pushes/s")
	b.ReportMetric(e2e/hostRuns, "deliveries/broker-pushes")
	b.ReportMetric(e2e, "deliveries/s")
	b.ReportMetric(starts, "bare-starts/s")
	b.ReportMetric(e2e/starts, "deliveries/starts")
	b.ReportMetric(deliver.peakRSSMB(b), "deliver-peak-RSS-MB")
	dclient.CloseIdleConnections()
	deliver.stop(b)
}

// startBareServer runs testdata/wns/bareserver with a certificate of serve's
// authority and returns its https://address.
func startBareServer(b *testing.B, exe string, p *serveProcess) string {
	b.Helper()
	goBuild(b, exe, "../../testdata/wns/bareserver")
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: p.cert.Certificate[0]})
	keyDER, err := x509.MarshalPKCS8PrivateKey(p.cert.PrivateKey)
	if err != nil {
		b.Fatal(err)
	}
	dir := filepath.Dir(exe)
	certFile, keyFile := filepath.Join(dir, "bare-cert.pem"), filepath.Join(dir, "bare-key.pem")
	if err := os.WriteFile(certFile, certPEM, 0o600); err != nil {
		b.Fatal(err)
	}
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		b.Fatal(err)
	}
	cmd := exec.Command(exe, certFile, keyFile)
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	addr, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		b.Fatalf("bareserver: %v", err)
	}
	return "https://" + strings.TrimSpace(addr)
}

func goBuild(b *testing.B, out, pkg string) {
	b.Helper()
	if o, err := exec.Command("go", "build", "-o", out, pkg).CombinedOutput(); err != nil {
		b.Fatalf("go build %s: %v\n%s", pkg, err, o)
	}
}

type serveProcess struct {
	cmd    *exec.Cmd
	events string
	ready  struct {
		URL, ChannelURI, CA, ClientID, ClientSecret string
	}
	cert  tls.Certificate
	token string

	// What waitDeliveries has read of events: the bytes of whole lines,
	// the line begun (within one call), and the delivery and completed
	// events counted.
	eventsRead           int64
	partial              []byte
	delivered, completed int
}

// startServeProcess runs bgtask serve in a fresh app folder; with plugin,
// a push registration runs it.
func startServeProcess(b *testing.B, bgtask, app, plugin string) *serveProcess {
	b.Helper()
	if err := os.MkdirAll(app, 0o755); err != nil {
		b.Fatal(err)
	}
	if plugin != "" {
		reg := exec.Command(bgtask, "register", "--no-manifest-check", "--name", "Noop", "--entry-point", "Tasks.Noop", "--trigger", "push", "--plugin", plugin)
		reg.Dir = app
		if out, err := reg.CombinedOutput(); err != nil {
			b.Fatalf("register: %v\n%s", err, out)
		}
	}
	p := &serveProcess{events: filepath.Join(app, "events.jsonl")}
	readyFile := filepath.Join(app, "ready.json")
	out, err := os.Create(p.events)
	if err != nil {
		b.Fatal(err)
	}
	defer out.Close()
	p.cmd = exec.Command(bgtask, "--registry", filepath.Join(app, ".bgtask", "registry.json"), "serve",
		"--listen", "127.0.0.1:0", "--json", "--ready-file", readyFile, "--rate", "0", "--queue", "100000")
	p.cmd.Dir, p.cmd.Stdout = app, out
	if err := p.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		if p.cmd.ProcessState == nil {
			_ = p.cmd.Process.Kill()
			_ = p.cmd.Wait()
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		data, err := os.ReadFile(readyFile)
		if err == nil && json.Unmarshal(data, &p.ready) == nil {
			break
		}
		if time.Now().After(deadline) {
			b.Fatal("serve not ready within 20s")
		}
		time.Sleep(10 * time.Millisecond)
	}
	if !filepath.IsAbs(p.ready.CA) {
		p.ready.CA = filepath.Join(app, p.ready.CA)
	}
	ca, err := (Store{Dir: filepath.Dir(p.ready.CA)}).ExistingCA()
	if err != nil || ca == nil {
		b.Fatalf("the CA: %v", err)
	}
	// The bare server gets a certificate of the same authority and kind.
	if p.cert, err = ca.ServerCertificate(); err != nil {
		b.Fatal(err)
	}
	return p
}

func benchClient(b *testing.B, p *serveProcess) *http.Client {
	b.Helper()
	pem, err := os.ReadFile(p.ready.CA)
	if err != nil {
		b.Fatal(err)
	}
	pool := x509.NewCertPool()
	pool.AppendCertsFromPEM(pem)
	tr := &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}, MaxIdleConnsPerHost: 64}
	c := &http.Client{Transport: tr, Timeout: 30 * time.Second}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {p.ready.ClientID}, "client_secret": {p.ready.ClientSecret}, "scope": {Scope}}
	resp, err := c.PostForm(p.ready.URL+TokenPath, form)
	if err != nil {
		b.Fatal(err)
	}
	defer resp.Body.Close()
	var tr2 tokenResponse
	if err := json.NewDecoder(resp.Body).Decode(&tr2); err != nil {
		b.Fatal(err)
	}
	p.token = tr2.AccessToken
	return c
}

// sendLoad sends n raw notifications with workers concurrent senders and
// returns the accepted (200) ones a second; anything else fails the run.
func sendLoad(b *testing.B, c *http.Client, uri, token string, n, workers int) float64 {
	b.Helper()
	payload := []byte(strings.Repeat("p", 200))
	var next sync.Mutex
	left := n
	var failed error
	var fmu sync.Mutex
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for {
				next.Lock()
				if left == 0 {
					next.Unlock()
					return
				}
				left--
				next.Unlock()
				req, _ := http.NewRequest(http.MethodPost, uri, bytes.NewReader(payload))
				req.Header.Set("Authorization", "Bearer "+token)
				req.Header.Set("Content-Type", "application/octet-stream")
				req.Header.Set("X-WNS-Type", "wns/raw")
				resp, err := c.Do(req)
				if err == nil {
					_, _ = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d: %s", resp.StatusCode, resp.Header.Get(hdrErrorDescription))
					}
				}
				if err != nil {
					fmu.Lock()
					failed = err
					fmu.Unlock()
					return
				}
			}
		})
	}
	wg.Wait()
	if failed != nil {
		b.Fatalf("sending to %s: %v", uri, failed)
	}
	return float64(n) / time.Since(start).Seconds()
}

// waitDeliveries waits for n delivery events in serve's output. It reads
// only what serve appended since its last look: rescanning the whole file
// every 5 ms took a core's worth of milliseconds per batch from the two
// the deliveries measured here share.
func (p *serveProcess) waitDeliveries(b *testing.B, n int) {
	b.Helper()
	deadline := time.Now().Add(120 * time.Second)
	f, err := os.Open(p.events)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	if _, err := f.Seek(p.eventsRead, io.SeekStart); err != nil {
		b.Fatal(err)
	}
	p.partial = nil // read again from the last whole line
	buf := make([]byte, 64<<10)
	for {
		got, err := f.Read(buf)
		p.partial = append(p.partial, buf[:got]...)
		for {
			line, rest, ok := bytes.Cut(p.partial, []byte("\n"))
			if !ok {
				break
			}
			p.eventsRead += int64(len(line) + 1)
			if bytes.Contains(line, []byte(`"event":"delivery"`)) {
				p.delivered++
			}
			if bytes.Contains(line, []byte(`"outcome":"completed"`)) {
				p.completed++
			}
			p.partial = rest
		}
		p.partial = append([]byte(nil), p.partial...)
		if p.delivered >= n {
			if p.completed < n {
				b.Fatalf("%d of %d deliveries completed", p.completed, n)
			}
			return
		}
		if err != nil && err != io.EOF {
			b.Fatal(err)
		}
		if got > 0 {
			continue // there may be more already
		}
		if time.Now().After(deadline) {
			b.Fatalf("%d of %d deliveries after 120s", p.delivered, n)
		}
		// A millisecond: a batch takes about a tenth of a second, and the
		// time to notice its end counts against serve.
		time.Sleep(time.Millisecond)
	}
}

// peakRSSMB is serve's VmHWM in megabytes.
func (p *serveProcess) peakRSSMB(b *testing.B) float64 {
	b.Helper()
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", p.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	for _, line := range strings.Split(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.Atoi(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")))
			if err != nil {
				b.Fatal(err)
			}
			return float64(kb) / 1024
		}
	}
	b.Fatal("no VmHWM")
	return 0
}

// stop stops serve as Ctrl-C does; it must exit 0.
func (p *serveProcess) stop(b *testing.B) {
	b.Helper()
	_ = p.cmd.Process.Signal(os.Interrupt)
	done := make(chan error, 1)
	go func() { done <- p.cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			b.Errorf("serve stopped with %v", err)
		}
	case <-time.After(30 * time.Second):
		b.Error("serve did not stop within 30s of SIGINT")
	}
}

func tokenOf(uri string) string {
	_, tok, _ := strings.Cut(uri, "?token=")
	return tok
}

func medianOf(xs []float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	return s[len(s)/2]
}
