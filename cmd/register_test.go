package cmd

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// The exit codes of the registry commands are part of bgtask's interface
// (README "Exit codes"): refusals and corrupt registries are 2, I/O failures 4.
func TestRegistryExitCodes(t *testing.T) {
	seed := mustAbs("../testdata/seed/Package.appxmanifest")
	register := func(extra ...string) []string {
		return append([]string{"--manifest", seed, "register", "--name", "RawPush", "--trigger", "push"}, extra...)
	}
	cases := []struct {
		name  string
		setup func(t *testing.T, dir string)
		args  []string
		code  int
	}{
		{"registered", nil, register("--entry-point", "Tasks.ExampleBackgroundTask"), ExitOK},
		{"entry point not declared", nil, register("--entry-point", "Task.ExampleBackgroundTask"), ExitUsage},
		{"freshness under 15 minutes", nil, []string{"--manifest", seed, "register", "--name", "T", "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "timer:14"}, ExitUsage},
		{"unknown condition", nil, register("--entry-point", "Tasks.ExampleBackgroundTask", "--condition", "Sunny"), ExitUsage},
		{"missing manifest", nil, []string{"--manifest", "nope.appxmanifest", "register", "--name", "A", "--entry-point", "T.A", "--trigger", "push"}, ExitUsage},
		{"name conflict", registered, register("--entry-point", "Tasks.ExampleBackgroundTask", "--no-manifest-check", "--condition", "UserPresent"), ExitUsage},
		{"already registered", registered, register("--entry-point", "Tasks.ExampleBackgroundTask"), ExitOK},
		{"corrupt registry", corrupt, []string{"tasks"}, ExitUsage},
		{"corrupt registry on register", corrupt, register("--entry-point", "Tasks.ExampleBackgroundTask"), ExitUsage},
		{"unregister unknown", nil, []string{"unregister", "Nope"}, ExitUsage},
		{"unregister", registered, []string{"unregister", "RawPush"}, ExitOK},
		{"registry folder is a file", blockedFolder, register("--entry-point", "Tasks.ExampleBackgroundTask"), ExitOperational},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Chdir(t.TempDir())
			if c.setup != nil {
				c.setup(t, ".")
			}
			io, _, _, errOut := TestIO()
			if code := Execute(context.Background(), io, c.args); code != c.code {
				t.Errorf("bgtask %s: exit %d, want %d; stderr:\n%s", strings.Join(c.args, " "), code, c.code, errOut)
			}
		})
	}
}

func registered(t *testing.T, _ string) {
	io, _, _, errOut := TestIO()
	args := []string{"register", "--no-manifest-check", "--name", "RawPush", "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push"}
	if code := Execute(context.Background(), io, args); code != ExitOK {
		t.Fatalf("setup register: exit %d: %s", code, errOut)
	}
}

func corrupt(t *testing.T, dir string) {
	writeFile(t, filepath.Join(dir, ".bgtask", "registry.json"), `{"version": 1, "registrations": [`)
}

// blockedFolder makes .bgtask a file, so neither the lock nor the registry
// can be created: an operational failure, not the user's input.
func blockedFolder(t *testing.T, dir string) {
	writeFile(t, filepath.Join(dir, ".bgtask"), "not a folder")
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// Colour follows the stream: the tasks table carries escape codes only when
// standard output is a terminal.
func TestTasksTableColourOnlyOnTerminal(t *testing.T) {
	t.Chdir(t.TempDir())
	registered(t, ".")
	for _, tty := range []bool{false, true} {
		io, _, out, errOut := TestIO()
		io.OutTTY = tty
		if code := Execute(context.Background(), io, []string{"tasks"}); code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		if got := strings.Contains(out.String(), "\x1b["); got != tty {
			t.Errorf("terminal=%v: escape codes present=%v:\n%q", tty, got, out)
		}
		if !strings.Contains(out.String(), "RawPush") {
			t.Errorf("table lacks the registration:\n%s", out)
		}
	}
}

// The registry commands colour only terminals, and never with NO_COLOR,
// --no-color or TERM=dumb: not on standard output, not on standard error
// (the plugin warning, a refusal).
func TestRegistryCommandsColour(t *testing.T) {
	seed := mustAbs("../testdata/seed/Package.appxmanifest")
	runs := []struct {
		name      string
		args      []string
		code      int
		out, errs bool // escape codes expected on a terminal
	}{
		{"register", []string{"--manifest", seed, "register", "--name", "P", "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push", "--plugin", "bin/missing"}, ExitOK, true, true},
		{"register refused", []string{"--manifest", seed, "register", "--name", "P", "--entry-point", "Tasks.Nope", "--trigger", "push"}, ExitUsage, false, true},
		{"register --json", []string{"--manifest", seed, "register", "--name", "P", "--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push", "--json"}, ExitOK, false, false},
		{"tasks", []string{"tasks"}, ExitOK, true, false},
		{"tasks --json", []string{"tasks", "--json"}, ExitOK, false, false},
		{"unregister", []string{"unregister", "RawPush", "--cancel"}, ExitOK, true, false},
		{"unregister unknown", []string{"unregister", "Nope"}, ExitUsage, false, true},
	}
	modes := []struct {
		name  string
		env   map[string]string
		flags []string
		color bool
	}{
		{"terminal", nil, nil, true},
		{"NO_COLOR", map[string]string{"NO_COLOR": "1"}, nil, false},
		{"--no-color", nil, []string{"--no-color"}, false},
		{"TERM=dumb", map[string]string{"TERM": "dumb"}, nil, false},
	}
	for _, r := range runs {
		for _, m := range modes {
			for _, tty := range []bool{true, false} {
				t.Run(fmt.Sprintf("%s/%s/tty=%v", r.name, m.name, tty), func(t *testing.T) {
					t.Chdir(t.TempDir())
					registered(t, ".")
					io, _, out, errOut := TestIO()
					io.OutTTY, io.ErrTTY = tty, tty
					io.Getenv = func(k string) string { return m.env[k] }
					if code := Execute(context.Background(), io, append(slices.Clone(m.flags), r.args...)); code != r.code {
						t.Fatalf("exit %d, want %d; stderr:\n%s", code, r.code, errOut)
					}
					color := tty && m.color
					if got := strings.Contains(out.String(), "\x1b["); got != (color && r.out) {
						t.Errorf("stdout has escape codes: %v, want %v:\n%q", got, color && r.out, out)
					}
					if got := strings.Contains(errOut.String(), "\x1b["); got != (color && r.errs) {
						t.Errorf("stderr has escape codes: %v, want %v:\n%q", got, color && r.errs, errOut)
					}
				})
			}
		}
	}
}
