package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const badManifest = `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10">
  <Applications>
    <Application Id="App">
      <Extensions>
        <Extension Category="windows.backgroundTasks" EntryPoint="pch.cpp">
          <BackgroundTasks><Task Type="pushNotification"/></BackgroundTasks>
        </Extension>
      </Extensions>
    </Application>
  </Applications>
</Package>
`

// Colour follows the stream: findings are coloured when stdout is a
// terminal, and never with --no-color or when stdout is a file.
func TestLintColourFollowsTheStream(t *testing.T) {
	path := filepath.Join(t.TempDir(), "Package.appxmanifest")
	if err := os.WriteFile(path, []byte(badManifest), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		tty       bool
		args      []string
		wantColor bool
	}{
		{"terminal", true, nil, true},
		{"terminal --no-color", true, []string{"--no-color"}, false},
		{"file", false, nil, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			io, _, out, _ := TestIO()
			io.OutTTY = tc.tty
			args := append([]string{"lint", "--no-registry", path}, tc.args...)
			if code := Execute(context.Background(), io, args); code != ExitFailure {
				t.Fatalf("exit %d, want %d", code, ExitFailure)
			}
			if got := strings.Contains(out.String(), "\x1b["); got != tc.wantColor {
				t.Errorf("colour = %v, want %v: %q", got, tc.wantColor, out.String())
			}
			if !strings.Contains(out.String(), "[BT004]") {
				t.Errorf("finding missing: %q", out.String())
			}
		})
	}
}

// The exit status is the contract CI relies on (lint --help): 0 no errors,
// 1 errors (or warnings under --strict), 2 bad usage or unreadable input.
// The lint_exit_codes script can only tell zero from non-zero; this tells
// 1 from 2.
func TestLintExitCodes(t *testing.T) {
	dir := t.TempDir()
	write := func(name, data string) string {
		t.Helper()
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	good := write("good/Package.appxmanifest", strings.Replace(badManifest, "pch.cpp", "Tasks.PushTask", 1))
	bad := write("bad/Package.appxmanifest", badManifest)
	broken := write("broken/Package.appxmanifest", "<Package>\n  <Identity>\n</Package>\n")
	// A missing StartPage in a project folder: a BT013 warning only.
	warn := write("warn/Package.appxmanifest", strings.Replace(badManifest, `EntryPoint="pch.cpp"`, `StartPage="js\task.js"`, 1))
	write("warn/App.csproj", "<Project/>")
	corrupt := write("corrupt/registry.json", `{"version": 1, "registrations": [`)
	empty := filepath.Join(dir, "empty")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		args    []string
		want    int
		wantErr string // in stderr, for the usage errors
	}{
		{"clean", []string{"--no-registry", good}, ExitOK, ""},
		{"errors", []string{"--no-registry", bad}, ExitFailure, ""},
		{"malformed XML is a finding", []string{"--no-registry", broken}, ExitFailure, ""},
		{"warnings pass", []string{"--no-registry", warn}, ExitOK, ""},
		{"warnings under --strict", []string{"--no-registry", "--strict", warn}, ExitFailure, ""},
		{"missing path", []string{"--no-registry", filepath.Join(dir, "no-such.appxmanifest")}, ExitUsage, "no such file or folder"},
		{"folder without a manifest", []string{"--no-registry", empty}, ExitUsage, "no *.appxmanifest"},
		{"unknown format", []string{"--no-registry", "--format", "xml", good}, ExitUsage, `--format "xml"`},
		{"unknown rule", []string{"--explain", "BT999"}, ExitUsage, `no rule "BT999"`},
		{"corrupt registry", []string{"--manifest", good, "--registry", corrupt, good}, ExitUsage, "--no-registry skips"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			io, _, out, errOut := TestIO()
			if code := Execute(context.Background(), io, append([]string{"lint"}, tc.args...)); code != tc.want {
				t.Errorf("exit %d, want %d\nstdout: %s\nstderr: %s", code, tc.want, out, errOut)
			}
			if !strings.Contains(errOut.String(), tc.wantErr) {
				t.Errorf("stderr %q does not say %q", errOut, tc.wantErr)
			}
		})
	}
}
