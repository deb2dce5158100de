package cmd

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// --dry-run's diff quotes lines of the file. On a terminal they are escaped
// like every other view of the file (a raw U+009B in a comment is CSI);
// piped, the diff keeps the file's exact bytes so git apply takes it.
func TestDryRunDiffEscapesOnlyOnATerminal(t *testing.T) {
	const manifest = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\r\n" +
		"<Package xmlns=\"http://schemas.microsoft.com/appx/manifest/foundation/windows10\">\r\n" +
		"  <Applications>\r\n" +
		"    <Application Id=\"App\" Executable=\"App.exe\" EntryPoint=\"App.App\">\r\n" +
		"      <Extensions>\r\n" +
		"        <!-- \u009b2J \x1b -->\r\n" +
		"      </Extensions>\r\n" +
		"    </Application>\r\n" +
		"  </Applications>\r\n" +
		"</Package>\r\n"
	path := filepath.Join(t.TempDir(), "Package.appxmanifest")
	if err := os.WriteFile(path, []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	args := []string{"--manifest", path, "manifest", "add", "--entry-point", "Tasks.Sync", "--type", "timer", "--dry-run"}
	for _, tty := range []bool{true, false} {
		io, _, out, errOut := TestIO()
		io.OutTTY = tty
		io.Getenv = func(k string) string { // NO_COLOR: escaping is not colour's business
			if k == "NO_COLOR" {
				return "1"
			}
			return ""
		}
		if code := Execute(context.Background(), io, args); code != ExitOK {
			t.Fatalf("exit %d: %s", code, errOut)
		}
		diff := out.String()
		if !strings.Contains(diff, "+            <Task Type=\"timer\" />\r\n") {
			t.Fatalf("tty %v: no added Task line (CRLF kept) in\n%q", tty, diff)
		}
		escaped := strings.Contains(diff, `        <!-- \x9b2J \x1b -->`+"\r\n")
		raw := strings.Contains(diff, "        <!-- \u009b2J \x1b -->\r\n")
		if tty && (!escaped || raw) || !tty && (escaped || !raw) {
			t.Errorf("tty %v: escaped %v, raw %v in\n%q", tty, escaped, raw, diff)
		}
	}
}
