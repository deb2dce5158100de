package simulate

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/pkg/tasks"
)

// A registered plugin is a path relative to the registry's folder, and is
// never searched in PATH: with the registry in the working folder, ./tool
// must not start a "tool" that a crafted PATH provides (issue 9).
func TestRegisteredPluginIsNeverSearchedInPATH(t *testing.T) {
	evil := t.TempDir()
	copyFile(t, filepath.Join(pluginDir, "noop"+exeSuffix()), filepath.Join(evil, "tool"+exeSuffix()))
	t.Setenv("PATH", evil)
	t.Chdir(t.TempDir()) // the working folder holds the registry, and no tool

	path := tasks.ResolvePlugin("registry.json", "tool")
	if found, err := FindPlugin(path); err == nil {
		t.Fatalf("FindPlugin(%q) = %s, want no such file", path, found)
	} else if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("FindPlugin(%q): %v, want a not-exist error", path, err)
	}
	_, err := Describe(context.Background(), Plugin{Path: path}, quick)
	var pe *PluginError
	if !errors.As(err, &pe) || pe.Outcome != OutcomeNotStarted || !strings.Contains(pe.Detail, "no such file") {
		t.Fatalf("Describe(%q) = %v, want not-started: no such file (the PATH copy must not run)", path, err)
	}
}

// A bare name given on the command line is a program found in PATH, as a
// shell finds it.
func TestFindPluginLooksUpBareNamesInPATH(t *testing.T) {
	dir := t.TempDir()
	want := filepath.Join(dir, "tool"+exeSuffix())
	copyFile(t, filepath.Join(pluginDir, "noop"+exeSuffix()), want)
	t.Setenv("PATH", dir)
	got, err := FindPlugin("tool")
	if err != nil || !sameFile(t, got, want) {
		t.Fatalf("FindPlugin(tool) = %q, %v; want %s", got, err, want)
	}
	_, err = FindPlugin("no-such-tool")
	if !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "looked up in PATH") {
		t.Errorf("FindPlugin(no-such-tool): %v, want a not-exist error that says PATH was searched", err)
	}
}

// Windows' rules, checked on every OS: a path without an executable
// extension finds the file with one added, in CreateProcess's order; a file
// without one is not a program, and the error says how to build one.
func TestFindPluginFileWindowsRules(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"task.exe", "task.cmd", "script.cmd", "mytask", "tool.sh", "upper.EXE"} {
		writeFile(t, filepath.Join(dir, name), 0o644)
	}
	if err := os.Mkdir(filepath.Join(dir, "folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	at := func(name string) string { return filepath.Join(dir, name) }
	for _, tc := range []struct {
		path, want string // want "" means an error containing reason
		reason     string
		notExist   bool
	}{
		{path: at("task"), want: at("task.exe")},
		{path: at("task.exe"), want: at("task.exe")},
		{path: at("script"), want: at("script.cmd")},
		{path: at("upper.EXE"), want: at("upper.EXE")},
		{path: at("mytask"), reason: "is not a Windows program: Windows starts only files ending in .exe, .com, .bat, .cmd (build Go plugins with go build -o mytask.exe"},
		{path: at("tool.sh"), reason: "is not a Windows program"},
		{path: at("missing"), reason: "no such file, nor missing with .exe, .com, .bat, .cmd added", notExist: true},
		{path: at("missing.exe"), reason: "no such file", notExist: true},
		{path: at("folder"), reason: "is a folder: give the plugin's executable file in it"},
	} {
		got, err := findPluginFile(tc.path, true)
		if tc.want != "" {
			if err != nil || got != tc.want {
				t.Errorf("%s: got %q, %v; want %s", tc.path, got, err, tc.want)
			}
			continue
		}
		if err == nil || !strings.Contains(err.Error(), tc.reason) || errors.Is(err, fs.ErrNotExist) != tc.notExist {
			t.Errorf("%s: got %q, %v; want an error with %q (not-exist %v)", tc.path, got, err, tc.reason, tc.notExist)
		}
	}
}

// Unix's rules: the file itself, which must be executable.
func TestFindPluginFileUnixRules(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("file modes carry no execute bit on Windows")
	}
	dir := t.TempDir()
	writeFile(t, filepath.Join(dir, "task"), 0o755)
	writeFile(t, filepath.Join(dir, "plain"), 0o644)
	writeFile(t, filepath.Join(dir, "task.exe"), 0o755)
	at := func(name string) string { return filepath.Join(dir, name) }
	if got, err := findPluginFile(at("task"), false); err != nil || got != at("task") {
		t.Errorf("task: %q, %v", got, err)
	}
	if _, err := findPluginFile(at("plain"), false); err == nil || !strings.Contains(err.Error(), "is not executable: chmod +x it") {
		t.Errorf("plain: %v, want not executable", err)
	}
	// No extension is added outside Windows.
	if _, err := findPluginFile(at("task."), false); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("task.: %v, want no such file", err)
	}
	if _, err := findPluginFile(dir, false); err == nil || !strings.Contains(err.Error(), "is a folder") {
		t.Errorf("folder: %v, want is a folder", err)
	}
}

func writeFile(t *testing.T, path string, mode os.FileMode) {
	t.Helper()
	if err := os.WriteFile(path, []byte("x"), mode); err != nil {
		t.Fatal(err)
	}
}

func copyFile(t *testing.T, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o755); err != nil {
		t.Fatal(err)
	}
}

func sameFile(t *testing.T, a, b string) bool {
	t.Helper()
	fa, errA := os.Stat(a)
	fb, errB := os.Stat(b)
	return errA == nil && errB == nil && os.SameFile(fa, fb)
}
