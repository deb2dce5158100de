package cmd

import (
	"context"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"

	"github.com/bgtask/bgtask/pkg/simulate"
)

// The exit codes of plugin run: 0 completed, 1 any other outcome, 2 usage.
func TestPluginRunExitCodes(t *testing.T) {
	python, err := exec.LookPath("python3")
	if err != nil {
		t.Skip("python3 is not installed")
	}
	script := mustAbs(filepath.Join("..", "testdata", "plugins", "python", "task.py"))
	cases := []struct {
		args []string
		code int
		out  string // in stdout; "": stdout is empty
	}{
		{[]string{"--entry-point", "Tasks.PyEcho", "--payload", "x", python, "--", script}, ExitOK, "completed"},
		{[]string{"--entry-point", "Tasks.PyFail", python, "--", script}, ExitFailure, "error: python says no"},
		{[]string{"--entry-point", "Tasks.Nope", python, "--", script}, ExitFailure, "not-started"},
		{[]string{"--entry-point", "Tasks.PyEcho", filepath.Join(t.TempDir(), "missing")}, ExitFailure, "not-started"},
		{[]string{python, "--", script}, ExitUsage, ""},
	}
	for _, c := range cases {
		io, _, out, errOut := TestIO()
		code := Execute(context.Background(), io, append([]string{"plugin", "run"}, c.args...))
		if code != c.code || !strings.Contains(out.String(), c.out) || (c.out == "") != (out.Len() == 0) {
			t.Errorf("plugin run %s: exit %d, want %d; stdout %q; stderr %q", strings.Join(c.args, " "), code, c.code, out, errOut)
		}
	}
}

func TestPluginCheckFlags(t *testing.T) {
	g := &Globals{}
	g.IO, _, _, _ = TestIO()
	var got *PluginCheckOptions
	cmd := NewCmdPluginCheck(g, func(_ *cobra.Command, o *PluginCheckOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--entry-point", "Tasks.X", "--json", "--timeout", "2s", "python3", "--", "-u", "task.py"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	p, err := got.Target.plugin()
	if err != nil || p.Path != "python3" || strings.Join(p.Args, " ") != "-u task.py" || got.EntryPoint != "Tasks.X" || !got.JSON || got.Policy.Timeout.String() != "2s" {
		t.Fatalf("options = %+v, plugin %+v, %v", got, p, err)
	}
}

// On a terminal the RESULT column is coloured; escape codes must not shift
// the DETAIL column (text/tabwriter would count them as width).
func TestCheckTableAlignsWithColour(t *testing.T) {
	rep := &simulate.CheckReport{EntryPoint: "Tasks.A", Checks: []simulate.Check{
		{Name: "handshake", Status: simulate.CheckPass, Detail: "ok"},
		{Name: "describe", Status: simulate.CheckFail, Detail: "bad"},
		{Name: "cancel within the grace period", Status: simulate.CheckSkip, Detail: "skipped"},
	}}
	var out strings.Builder
	if err := writeCheckTable(&out, Palette{enabled: true}, "p", rep); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "\x1b[") {
		t.Fatalf("no colour written: %q", out.String())
	}
	plain := regexp.MustCompile("\x1b\\[[0-9;]*m").ReplaceAllString(out.String(), "")
	lines := strings.Split(plain, "\n")[:4]
	col := strings.Index(lines[0], "DETAIL")
	for i, want := range []string{"ok", "bad", "skipped"} {
		if got := strings.Index(lines[i+1], want); got != col {
			t.Errorf("line %q: detail at column %d, header at %d", lines[i+1], got, col)
		}
	}
}

// A --name is shown escaped in progress lines as in log lines: an escape
// sequence in it does not reach the terminal (a hostile review found the
// progress line printing it raw).
func TestPluginRunEscapesTheNameInProgress(t *testing.T) {
	io, _, out, errOut := TestIO()
	code := Execute(context.Background(), io, []string{"plugin", "run", testPluginPath(t), "--entry-point", "Tasks.ExampleBackgroundTask",
		"--payload", "x", "--name", "N\x1b[31mRED\u202e", "--", "progress"})
	if code != ExitOK {
		t.Fatalf("exit %d; stderr %q", code, errOut)
	}
	if strings.ContainsAny(errOut.String()+out.String(), "\x1b\u202e") {
		t.Errorf("an escape reached the output:\n%q", errOut)
	}
	if !strings.Contains(errOut.String(), "progress 40%") {
		t.Errorf("no progress line: %q", errOut)
	}
}
