//go:build unix

package cmd

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// Ctrl-C (SIGINT) is serve's normal end: it stops accepting, lets the
// running task finish within --shutdown-grace, drops what was queued, and
// exits 0 (not 130). The real binary: signals reach only a process.
func TestServeSIGINTFinishesRunningTaskAndExitsZero(t *testing.T) {
	bgtask, err := exec.LookPath("bgtask") // testscript.Main puts this test binary there as bgtask
	if err != nil {
		t.Fatal(err)
	}
	inServeApp(t)
	registerTestPlugin(t, "Slow", "sleep", "700ms")
	readyFile := filepath.Join(t.TempDir(), "ready.json")
	var out, errOut bytes.Buffer
	cmd := exec.Command(bgtask, "serve", "--listen", "127.0.0.1:0", "--json", "--ready-file", readyFile)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() { _ = cmd.Process.Kill() }()
	s := &runningServe{readyFile: readyFile}
	deadline := time.Now().Add(10 * time.Second)
	for {
		data, err := os.ReadFile(readyFile)
		if err == nil && json.Unmarshal(data, &s.ready) == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("not ready: %s", errOut.String())
		}
		time.Sleep(10 * time.Millisecond)
	}
	s.client = newServeClient(t, s.ready.CA)
	tok := s.token(t)
	for _, p := range []string{"running", "queued"} {
		if resp := s.sendRaw(t, tok, p, nil); resp.StatusCode != 200 {
			t.Fatalf("send %s: %d", p, resp.StatusCode)
		}
	}
	time.Sleep(200 * time.Millisecond) // the first task is running
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("serve exited with %v after SIGINT, want 0; stderr: %s", err, errOut.String())
		}
	case <-time.After(20 * time.Second):
		t.Fatal("serve did not exit within 20s of SIGINT")
	}
	log := out.String()
	if !strings.Contains(log, `"outcome":"completed"`) || !strings.Contains(log, `"reason":"serve is stopping"`) {
		t.Errorf("want the running task completed and the queued one dropped:\n%s", log)
	}
	if _, err := os.Stat(readyFile); err == nil {
		t.Error("the ready file is left after serve stopped")
	}
}
