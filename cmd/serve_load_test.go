package cmd

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// A bounded load test on loopback: concurrent clients send a fixed number of
// notifications over TLS, within a fixed time, to a serve that delivers them
// to a real plugin through the broker. Every answer is 200 or a documented
// throttle (406 per channel, 503 for a full delivery queue), every 200 is
// delivered, and after serve stops no goroutine, open file or plugin process
// is left.
func TestServeLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("load test")
	}
	inServeApp(t)
	registerTestPlugin(t, "Ok", "ok")
	goroutines, fds := runtime.NumGoroutine(), openFiles()

	// A small queue bounds the deliveries the test waits for (a plugin run
	// takes a second under the race detector), and makes 503s happen.
	s := startServe(t, "--json", "--rate", "200", "--burst", "50", "--queue", "8")
	tok := s.token(t)
	const clients, perClient = 8, 60
	deadline := time.Now().Add(60 * time.Second)
	var mu sync.Mutex
	statuses := map[int]int{}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			for i := range perClient {
				if time.Now().After(deadline) {
					return
				}
				resp := s.sendRaw(t, tok, fmt.Sprintf("client %d message %d", c, i), nil)
				mu.Lock()
				statuses[resp.StatusCode]++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	total := 0
	for status, n := range statuses {
		total += n
		if status != 200 && status != 406 && status != 503 {
			t.Errorf("%d answers with status %d: only 200, 406 (throttled) and 503 (queue full) are expected", n, status)
		}
	}
	if total != clients*perClient {
		t.Errorf("%d requests answered within 60s, want %d", total, clients*perClient)
	}
	if statuses[200] == 0 {
		t.Fatalf("no notification accepted: %v", statuses)
	}
	s.waitFor(t, `"event":"delivery"`, statuses[200])
	s.client.CloseIdleConnections()
	if code := s.shutdown(t); code != 0 {
		t.Fatalf("serve exited %d: %s", code, s.errOut)
	}
	if got := strings.Count(s.out.String(), `"outcome":"completed"`); got != statuses[200] {
		t.Errorf("%d instances completed, want one per accepted notification (%d)", got, statuses[200])
	}
	t.Logf("answers: %v", statuses)
	// With notifications waiting in the queue, the next instance's process
	// is started while the current one runs (serve --prestart, the default).
	if !strings.Contains(s.out.String(), `"prestarted":true`) {
		t.Error("no instance ran in a process started ahead, though notifications waited in the queue")
	}

	// What serve started must be gone.
	settle := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > goroutines+2 && time.Now().Before(settle) {
		time.Sleep(20 * time.Millisecond)
	}
	if n := runtime.NumGoroutine(); n > goroutines+2 {
		buf := make([]byte, 1<<20)
		t.Errorf("%d goroutines after serve stopped, %d before:\n%s", n, goroutines, buf[:runtime.Stack(buf, true)])
	}
	if fds >= 0 {
		for openFiles() > fds && time.Now().Before(settle) {
			time.Sleep(20 * time.Millisecond)
		}
		if n := openFiles(); n > fds {
			t.Errorf("%d open files after serve stopped, %d before", n, fds)
		}
	}
	if kids := childProcesses(); len(kids) > 0 {
		t.Errorf("processes left behind: %v", kids)
	}
}

// openFiles counts this process's open file descriptors (Linux; -1
// elsewhere).
func openFiles() int {
	if runtime.GOOS != "linux" {
		return -1
	}
	entries, err := os.ReadDir("/proc/self/fd")
	if err != nil {
		return -1
	}
	return len(entries)
}

// childProcesses lists the live (not zombie) children of this process
// (Linux; none elsewhere).
func childProcesses() []string {
	if runtime.GOOS != "linux" {
		return nil
	}
	self := strconv.Itoa(os.Getpid())
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	var kids []string
	for _, p := range stats {
		data, err := os.ReadFile(p)
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...; comm may hold spaces and parentheses.
		s := string(data)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) > 1 && f[1] == self && f[0] != "Z" {
			kids = append(kids, s[:i+1])
		}
	}
	return kids
}

// serve --prestart (the default) starts the next instance's plugin process
// while the current one runs, when notifications wait in the queue;
// --prestart=false starts each when its instance begins. Either way each
// notification gets an instance, and a process, of its own, and serve
// leaves no process behind.
func TestServePrestartFlag(t *testing.T) {
	for _, tc := range []struct {
		name, flag string
		prestarted bool
	}{{"default", "", true}, {"off", "--prestart=false", false}} {
		t.Run(tc.name, func(t *testing.T) {
			inServeApp(t)
			// The first instance works long enough for every send to wait
			// in the queue behind it.
			registerTestPlugin(t, "Slow", "sleep", "300ms")
			args := []string{"--json"}
			if tc.flag != "" {
				args = append(args, tc.flag)
			}
			s := startServe(t, args...)
			tok := s.token(t)
			const sends = 4
			for i := range sends {
				if resp := s.sendRaw(t, tok, fmt.Sprintf("n%d", i), nil); resp.StatusCode != 200 {
					t.Fatalf("send %d: %d", i, resp.StatusCode)
				}
				if i == 0 {
					// The others come while the first instance works (its
					// log line), not while its process starts.
					s.waitFor(t, `"line":"working"`, 1)
				}
			}
			s.waitFor(t, `"event":"delivery"`, sends)
			s.client.CloseIdleConnections()
			if code := s.shutdown(t); code != 0 {
				t.Fatalf("serve exited %d: %s", code, s.errOut)
			}
			out := s.out.String()
			if got := strings.Count(out, `"outcome":"completed"`); got != sends {
				t.Errorf("%d instances completed, want %d", got, sends)
			}
			// The queue was empty when the first instance's process started;
			// with the flag on, the second's was started when it was queued
			// (during the first instance), each later one while the one
			// before it ran: all but the first.
			want := 0
			if tc.prestarted {
				want = sends - 1
			}
			if got := strings.Count(out, `"prestarted":true`); got != want {
				t.Errorf("%d instances ran in a process started ahead, want %d:\n%s", got, want, out)
			}
			if kids := childProcesses(); len(kids) > 0 {
				t.Errorf("processes left behind: %v", kids)
			}
		})
	}
}

// A process started ahead for a notification that ends up running no task
// (its registration was removed meanwhile) ends once the queue runs dry,
// while serve goes on: it used to stay until serve stopped, holding the
// plugin's executable (hostile review).
func TestServeEndsAProcessStartedAheadWhenTheQueueRunsDry(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("lists this process's children from /proc")
	}
	inServeApp(t)
	registerTestPlugin(t, "Slow", "sleep", "300ms")
	s := startServe(t, "--json")
	tok := s.token(t)
	for i := range 4 {
		if resp := s.sendRaw(t, tok, fmt.Sprintf("n%d", i), nil); resp.StatusCode != 200 {
			t.Fatalf("send %d: %d", i, resp.StatusCode)
		}
		if i == 0 {
			s.waitFor(t, `"line":"working"`, 1)
		}
	}
	// The second instance works, and the third's process has been started
	// ahead (the queue held it when the second began). Its registration
	// goes before it runs.
	s.waitFor(t, `"line":"working"`, 2)
	mustExecute(t, "unregister", "Slow")
	s.waitFor(t, `"event":"delivery"`, 4)
	deadline := time.Now().Add(5 * time.Second)
	for len(childProcesses()) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	if kids := childProcesses(); len(kids) > 0 {
		t.Errorf("with the queue empty, serve still runs %v", kids)
	}
	s.client.CloseIdleConnections()
	if code := s.shutdown(t); code != 0 {
		t.Fatalf("serve exited %d: %s", code, s.errOut)
	}
}
