package simulate

import (
	"context"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// pythonPlugin is testdata/plugins/python/task.py, a plugin written from
// docs/protocol.md alone: the proof that the document is enough.
func pythonPlugin(t *testing.T) Plugin {
	t.Helper()
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed; the non-Go plugin test needs it")
	}
	script, err := filepath.Abs(filepath.Join("..", "..", "testdata", "plugins", "python", "task.py"))
	if err != nil {
		t.Fatal(err)
	}
	return Plugin{Path: python, Args: []string{"-u", script}}
}

func TestPythonPluginRuns(t *testing.T) {
	r := runPlugin(t, context.Background(), pythonPlugin(t), "Tasks.PyEcho", quick)
	r.want(t, OutcomeCompleted)
	if !strings.Contains(r.log, "test-task: content: hello bytes: 5") {
		t.Errorf("log = %q", r.log)
	}
	if r.res.Progress != 100 || r.res.DeferralsTaken != 1 || r.res.DeferralsPending != 0 {
		t.Errorf("result = %+v", r.res)
	}
}

func TestPythonPluginFails(t *testing.T) {
	r := runPlugin(t, context.Background(), pythonPlugin(t), "Tasks.PyFail", quick)
	r.want(t, OutcomeFailed)
	if r.res.Error != "python says no" {
		t.Errorf("error = %q", r.res.Error)
	}
}

func TestPythonPluginHonoursCancel(t *testing.T) {
	pol := strict
	pol.Grace = 5 * time.Second
	r := runPlugin(t, context.Background(), pythonPlugin(t), "Tasks.PyWait", pol)
	r.want(t, OutcomeCanceled)
	if r.res.CancelReason != plugin.CancelExecutionTimeExceeded || !strings.Contains(r.log, "canceled: ExecutionTimeExceeded") {
		t.Errorf("reason %v, log %q", r.res.CancelReason, r.log)
	}
	r.within(t, pol.Timeout, pol.Timeout+3*time.Second)
}

func TestPythonPluginDescribes(t *testing.T) {
	d, err := Describe(context.Background(), pythonPlugin(t), quick)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(d.EntryPoints, ",") != "Tasks.PyEcho,Tasks.PyFail,Tasks.PyWait" || d.SDK != "python" {
		t.Errorf("description = %+v", d)
	}
}
