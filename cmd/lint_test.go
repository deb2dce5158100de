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
