package cmd

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// failingWriter fails every write, as a full disk does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// The same rule as testdata/script/output_write_failure.txtar, on every OS
// (that script needs /dev/full): a lost write is exit 4, and the message says
// whether the change was made. --help is written by cobra, which ignores the
// error; unregister's text output ignored it too.
func TestOutputWriteFailureIsOperational(t *testing.T) {
	dir := t.TempDir()
	registry := filepath.Join(dir, "registry.json")
	run := func(args ...string) (int, string) {
		io, _, _, errOut := TestIO()
		io.Out = failingWriter{}
		return Execute(context.Background(), io, append([]string{"--registry", registry}, args...)), errOut.String()
	}
	for _, args := range [][]string{{"--help"}, {"tasks"}, {"lint", "--list-rules"}} {
		code, stderr := run(args...)
		if code != ExitOperational || !strings.Contains(stderr, "writing to standard output failed (no space left on device); nothing was changed") {
			t.Errorf("%v: exit %d, stderr %q; want exit %d saying nothing was changed", args, code, stderr, ExitOperational)
		}
	}
	code, stderr := run("register", "--no-manifest-check", "--name", "A", "--entry-point", "T.A", "--trigger", "push")
	if code != ExitOperational || !strings.Contains(stderr, "the change itself was made: A registered in") {
		t.Errorf("register: exit %d, stderr %q", code, stderr)
	}
	code, stderr = run("unregister", "A")
	if code != ExitOperational || !strings.Contains(stderr, "the change itself was made: A unregistered from") {
		t.Errorf("unregister: exit %d, stderr %q", code, stderr)
	}
	if data, err := os.ReadFile(registry); err != nil || strings.Contains(string(data), `"A"`) {
		t.Errorf("the registry after unregister: %s, %v", data, err)
	}
}
