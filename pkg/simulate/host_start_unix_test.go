//go:build unix

package simulate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The system's error for a plugin that cannot start misleads: a folder is
// "permission denied" (it got "chmod +x it"), a script whose #! interpreter
// is missing is "no such file" (it got "check the path"). Each gets the hint
// for what is actually wrong.
func TestRunStartFailuresSayWhatIsWrong(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string, mode os.FileMode) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
		return p
	}
	folder := filepath.Join(dir, "task")
	if err := os.Mkdir(folder, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name, path, want, notWant string
	}{
		{"folder", folder, "it is a folder: give the plugin's executable file in it", "chmod"},
		{"missing interpreter", write("bad.sh", "#!/nonexistent/python3 -u\nprint(1)\n", 0o755),
			`its first line (#!) names the interpreter "/nonexistent/python3", which does not exist`, "check the path"},
		{"not executable", write("task.sh", "#!/bin/sh\n", 0o644), "chmod +x it", ""},
		{"missing file", filepath.Join(dir, "absent"), "absent: no such file", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := runPlugin(t, context.Background(), Plugin{Path: c.path}, "Tasks.Any", quick)
			r.want(t, OutcomeNotStarted)
			if !strings.Contains(r.res.Error, c.want) || (c.notWant != "" && strings.Contains(r.res.Error, c.notWant)) {
				t.Errorf("error = %q, want it to say %q", r.res.Error, c.want)
			}
		})
	}
}
