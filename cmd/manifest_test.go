package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/internal/wine"
)

// TestManifestExitCodes pins the exit code of every manifest command outcome
// (testscript's `! exec` only sees "non-zero"), and that a failed edit leaves
// the file as it was.
func TestManifestExitCodes(t *testing.T) {
	fixture := func(name string) string { return filepath.Join("..", "testdata", "manifests", name) }
	big := filepath.Join(t.TempDir(), "big.appxmanifest")
	if err := os.WriteFile(big, bytes.Repeat([]byte(" "), 10<<20+1), 0o644); err != nil {
		t.Fatal(err)
	}
	deep := filepath.Join(t.TempDir(), "deep.appxmanifest")
	if err := os.WriteFile(deep, []byte(strings.Repeat("<Package>", 300)+strings.Repeat("</Package>", 300)), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name     string
		manifest string
		args     []string
		code     int
		stderr   string // "" means stderr stays empty
	}{
		{"list", fixture("two-apps.appxmanifest"), []string{"manifest", "list"}, ExitOK, ""},
		{"list json", fixture("two-apps.appxmanifest"), []string{"manifest", "list", "--json"}, ExitOK, ""},
		{"already declared", fixture("win8.appxmanifest"), []string{"manifest", "add", "--start-page", `js\pushtask.js`, "--type", "pushNotification"}, ExitOK, ""},
		{"not declared", fixture("win8.appxmanifest"), []string{"manifest", "remove", "--entry-point", "No.Such"}, ExitOK, ""},
		{"dry run", fixture("win8.appxmanifest"), []string{"manifest", "add", "--entry-point", "A.B", "--type", "timer", "--dry-run"}, ExitOK, "dry run"},
		{"missing file", filepath.Join(t.TempDir(), "none.appxmanifest"), []string{"manifest", "list"}, ExitUsage, "no such file"},
		{"malformed", fixture("malformed.appxmanifest"), []string{"manifest", "list"}, ExitUsage, ":7:5: malformed XML"},
		{"conflict", fixture("conflict.appxmanifest"), []string{"manifest", "add", "--entry-point", "A.B", "--type", "timer"}, ExitUsage, ":4:1: unresolved merge conflict"},
		{"doctype", fixture("doctype.appxmanifest"), []string{"manifest", "list"}, ExitUsage, ":2:1: a DTD"},
		{"too large", big, []string{"manifest", "list"}, ExitUsage, "larger than 10 MiB"},
		{"too deep", deep, []string{"manifest", "list"}, ExitUsage, "nested more than 256 deep"},
		{"not a manifest", fixture("not-a-manifest.appxmanifest"), []string{"manifest", "list"}, ExitUsage, "not <Package>"},
		{"a folder", t.TempDir(), []string{"manifest", "list"}, ExitUsage, "is a folder, not a manifest"},
		{"unknown type", fixture("win8.appxmanifest"), []string{"manifest", "add", "--entry-point", "A.B", "--type", "vpnClient"}, ExitUsage, "valid types:"},
		{"entry point a lint error", fixture("win8.appxmanifest"), []string{"manifest", "add", "--entry-point", "pch.cpp", "--type", "timer"}, ExitUsage, "is a file name, not a class"},
		{"executable not an exe", fixture("win8.appxmanifest"), []string{"manifest", "add", "--entry-point", "A.B", "--executable", "Tasks.dll", "--type", "timer"}, ExitUsage, "is not an .exe"},
		{"ambiguous app", fixture("two-apps.appxmanifest"), []string{"manifest", "remove", "--entry-point", "A.B"}, ExitUsage, "choose one with --app"},
		{"bad flag", fixture("win8.appxmanifest"), []string{"manifest", "add", "--typo"}, ExitUsage, "unknown flag"},
		{"stray argument", fixture("win8.appxmanifest"), []string{"manifest", "list", "extra"}, ExitUsage, `unknown command "extra"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// Edits run on a copy, so the check that nothing was written is real.
			path := tc.manifest
			var before []byte
			if data, err := os.ReadFile(tc.manifest); err == nil {
				path = filepath.Join(t.TempDir(), "Package.appxmanifest")
				if err := os.WriteFile(path, data, 0o644); err != nil {
					t.Fatal(err)
				}
				before = data
			}
			io, _, _, errOut := TestIO()
			code := Execute(context.Background(), io, append(tc.args, "--manifest", path))
			if code != tc.code {
				t.Fatalf("exit code %d, want %d; stderr: %s", code, tc.code, errOut)
			}
			if !strings.Contains(errOut.String(), tc.stderr) {
				t.Errorf("stderr %q does not mention %q", errOut, tc.stderr)
			}
			if tc.stderr == "" && errOut.Len() > 0 {
				t.Errorf("stderr %q, want nothing", errOut)
			}
			if before != nil {
				if after, _ := os.ReadFile(path); !bytes.Equal(after, before) {
					t.Errorf("the manifest changed")
				}
			}
		})
	}
}

func TestManifestAddWritesAtomicallyAndKeepsMode(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "manifests", "four-spaces.appxmanifest"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "Package.appxmanifest")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	// 0600 on Unix; Windows has no such mode, and Go shows a writable file
	// as 0666 there: either way the edit must keep what the file had.
	original, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	io, _, out, errOut := TestIO()
	if code := Execute(context.Background(), io, []string{"manifest", "add", "--manifest", path, "--entry-point", "A.B", "--type", "timer"}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if !strings.Contains(out.String(), "declared entry point A.B (timer)") {
		t.Errorf("stdout = %q", out)
	}
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if info.Mode().Perm() != original.Mode().Perm() {
		t.Errorf("mode = %v, want the original %v", info.Mode().Perm(), original.Mode().Perm())
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	if len(entries) != 1 {
		t.Errorf("the folder holds %d entries, want only the manifest (no temp or lock files)", len(entries))
	}
}

func TestManifestAddFlagsParse(t *testing.T) {
	io, _, _, _ := TestIO()
	var got *ManifestAddOptions
	cmd := NewCmdManifestAdd(&Globals{IO: io}, func(o *ManifestAddOptions) error { got = o; return nil })
	cmd.SetArgs([]string{"--entry-point", "A.B", "--type", "timer", "--type", "pushNotification,phoneCall", "--app", "App", "--dry-run"})
	if err := cmd.Execute(); err != nil {
		t.Fatal(err)
	}
	if got.EntryPoint != "A.B" || got.App != "App" || !got.DryRun || strings.Join(got.Types, " ") != "timer pushNotification phoneCall" {
		t.Errorf("options = %+v", got)
	}
}

func TestManifestEditKeepsASymlink(t *testing.T) {
	dir := t.TempDir()
	data, err := os.ReadFile(filepath.Join("..", "testdata", "manifests", "win8.appxmanifest"))
	if err != nil {
		t.Fatal(err)
	}
	wine.Skip(t, wine.Symlinks)
	real := filepath.Join(dir, "real.appxmanifest")
	link := filepath.Join(dir, "Package.appxmanifest")
	if err := os.WriteFile(real, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, link); err != nil {
		t.Skipf("symlinks unavailable: %v", err)
	}
	io, _, _, errOut := TestIO()
	if code := Execute(context.Background(), io, []string{"manifest", "add", "--manifest", link, "--entry-point", "A.B", "--type", "timer"}); code != ExitOK {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	if info, err := os.Lstat(link); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the symlink was replaced by a file")
	}
	if after, _ := os.ReadFile(real); !bytes.Contains(after, []byte(`EntryPoint="A.B"`)) {
		t.Errorf("the link's target was not edited")
	}
}

// Parallel adds to one manifest lose nothing: each reads, edits and writes
// under the file's lock.
func TestManifestParallelAddsLoseNothing(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "testdata", "manifests", "four-spaces.appxmanifest"))
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "Package.appxmanifest")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	const n = 8
	codes := make(chan int, n)
	for i := range n {
		go func() {
			io, _, _, _ := TestIO()
			codes <- Execute(context.Background(), io, []string{"manifest", "add", "--manifest", path,
				"--entry-point", "Tasks.T" + string(rune('A'+i)), "--type", "timer"})
		}()
	}
	for range n {
		if code := <-codes; code != ExitOK {
			t.Errorf("an add exited %d", code)
		}
	}
	after, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	for i := range n {
		if ep := `EntryPoint="Tasks.T` + string(rune('A'+i)) + `"`; !bytes.Contains(after, []byte(ep)) {
			t.Errorf("%s was lost", ep)
		}
	}
}

// Colour goes to a terminal only, and never with NO_COLOR.
func TestManifestListColour(t *testing.T) {
	for _, tc := range []struct {
		tty     bool
		noColor string
		want    bool
	}{{true, "", true}, {false, "", false}, {true, "1", false}} {
		io, _, out, _ := TestIO()
		io.OutTTY = tc.tty
		io.Getenv = func(k string) string {
			if k == "NO_COLOR" {
				return tc.noColor
			}
			return ""
		}
		if code := Execute(context.Background(), io, []string{"manifest", "list", "--manifest", filepath.Join("..", "testdata", "seed", "Package.appxmanifest")}); code != ExitOK {
			t.Fatalf("exit %d", code)
		}
		if got := strings.Contains(out.String(), "\x1b["); got != tc.want {
			t.Errorf("tty=%v NO_COLOR=%q: colour %v, want %v:\n%q", tc.tty, tc.noColor, got, tc.want, out)
		}
	}
}
