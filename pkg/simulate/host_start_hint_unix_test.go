//go:build unix

package simulate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// An executable file that is neither a program nor a script with a #! line
// (exec format error) is not mistaken for one whose interpreter is missing.
func TestRunStartFailureOfANonProgram(t *testing.T) {
	path := filepath.Join(t.TempDir(), "notes.txt")
	if err := os.WriteFile(path, []byte("hello\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	r := runPlugin(t, context.Background(), Plugin{Path: path}, "Tasks.Any", quick)
	r.want(t, OutcomeNotStarted)
	const want = "exec format error (a plugin must be an executable program)"
	if !strings.HasPrefix(r.res.Error, "starting plugin "+path+": ") || !strings.HasSuffix(r.res.Error, want) {
		t.Errorf("error %q, want it to end %q", r.res.Error, want)
	}
}
