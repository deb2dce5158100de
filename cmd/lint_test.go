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

func TestLintManifestNames(t *testing.T) {
	for name, want := range map[string]bool{
		"Package.appxmanifest": true, "package.AppxManifest": true, "AppxManifest.xml": true,
		"appxmanifest.XML": true, "Package.xml": false, "AppxManifest.xml.bak": false,
	} {
		if got := isManifestName(name); got != want {
			t.Errorf("isManifestName(%q) = %v, want %v", name, got, want)
		}
	}
}

func TestLintDisplayPath(t *testing.T) {
	cwd := filepath.FromSlash("/repo")
	if filepath.VolumeName(os.TempDir()) != "" {
		cwd = `C:\repo`
	}
	for in, want := range map[string]string{
		filepath.Join(cwd, "src", "App", "Package.appxmanifest"): "src/App/Package.appxmanifest",
		filepath.Join(cwd, "Package.appxmanifest"):               "Package.appxmanifest",
	} {
		if got := displayPath(cwd, in); got != want {
			t.Errorf("displayPath(%q) = %q, want %q", in, got, want)
		}
	}
	outside := filepath.Join(filepath.Dir(cwd), "elsewhere", "Package.appxmanifest")
	if got := displayPath(cwd, outside); got != filepath.ToSlash(outside) {
		t.Errorf("a file outside the working folder should keep its absolute path, got %q", got)
	}
}
