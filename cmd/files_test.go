package cmd

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/internal/fsutil"

	"github.com/bgtask/bgtask/internal/wine"
)

// filesFixture is a manifest and a registry path in a fresh folder.
func filesFixture(t *testing.T) (manifest, registry string) {
	t.Helper()
	dir := t.TempDir()
	seed, err := os.ReadFile("../testdata/seed/Package.appxmanifest")
	if err != nil {
		t.Fatal(err)
	}
	manifest = filepath.Join(dir, "Package.appxmanifest")
	if err := os.WriteFile(manifest, seed, 0o644); err != nil {
		t.Fatal(err)
	}
	return manifest, filepath.Join(dir, ".bgtask", "registry.json")
}

// run executes bgtask in-process with env as its environment.
func runWithEnv(env map[string]string, args ...string) (code int, stdout, stderr string) {
	io, _, out, errOut := TestIO()
	io.Getenv = func(k string) string { return env[k] }
	code = Execute(context.Background(), io, args)
	return code, out.String(), errOut.String()
}

func registerArgs(manifest, registry, name string) []string {
	return []string{"--manifest", manifest, "--registry", registry, "register", "--name", name,
		"--entry-point", "Tasks.ExampleBackgroundTask", "--trigger", "push"}
}

// A registry reached through a symbolic link is changed where the link
// points, and the link stays a link, as manifests already were. It used to
// be replaced by a regular file.
func TestRegistrySymlinkStaysALink(t *testing.T) {
	manifest, registry := filesFixture(t)
	store := filepath.Join(filepath.Dir(manifest), "store.json")
	if code, _, stderr := runWithEnv(nil, registerArgs(manifest, store, "First")...); code != ExitOK {
		t.Fatalf("register: exit %d: %s", code, stderr)
	}
	if err := os.MkdirAll(filepath.Dir(registry), 0o755); err != nil {
		t.Fatal(err)
	}
	wine.Skip(t, wine.Symlinks)
	if err := os.Symlink(store, registry); err != nil {
		t.Skipf("symlink: %v", err)
	}
	args := registerArgs(manifest, registry, "Second")
	if code, _, stderr := runWithEnv(nil, args...); code != ExitOK {
		t.Fatalf("register through the link: exit %d: %s", code, stderr)
	}
	if info, err := os.Lstat(registry); err != nil || info.Mode()&os.ModeSymlink == 0 {
		t.Errorf("the registry link was replaced by a file (%v, %v)", info.Mode(), err)
	}
	if data, _ := os.ReadFile(store); !bytes.Contains(data, []byte(`"Second"`)) || !bytes.Contains(data, []byte(`"First"`)) {
		t.Errorf("the link's target lacks a registration:\n%s", data)
	}
}

// A read-only manifest or registry (chmod 444: not checked out in TFVC or
// Perforce) is refused with exit 4 and the reason, and keeps its bytes. It
// used to be replaced through the rename, exit 0.
func TestReadOnlyFilesAreRefused(t *testing.T) {
	manifest, registry := filesFixture(t)
	if code, _, stderr := runWithEnv(nil, registerArgs(manifest, registry, "First")...); code != ExitOK {
		t.Fatalf("register: exit %d: %s", code, stderr)
	}
	for _, tc := range []struct {
		file string
		args []string
	}{
		{registry, registerArgs(manifest, registry, "Second")},
		{registry, []string{"--manifest", manifest, "--registry", registry, "unregister", "First"}},
		{manifest, []string{"--manifest", manifest, "manifest", "add", "--entry-point", "Tasks.Sync", "--type", "timer"}},
		{manifest, []string{"--manifest", manifest, "manifest", "remove", "--entry-point", "Tasks.ExampleBackgroundTask"}},
	} {
		if err := os.Chmod(tc.file, 0o444); err != nil {
			t.Fatal(err)
		}
		before, _ := os.ReadFile(tc.file)
		code, _, stderr := runWithEnv(nil, tc.args...)
		if code != ExitOperational || !strings.Contains(stderr, "is read-only, so bgtask leaves it unchanged") {
			t.Errorf("%v: exit %d, want %d with the reason; stderr: %s", tc.args[4:], code, ExitOperational, stderr)
		}
		if after, _ := os.ReadFile(tc.file); !bytes.Equal(before, after) {
			t.Errorf("%v: %s changed", tc.args[4:], tc.file)
		}
		if err := os.Chmod(tc.file, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// The manifest's lock is beside it (no shared /tmp folder) and, like the
// registry's, is waited for at most the same bound, then exit 4 with the
// same message. The manifest's used to be waited for forever, in /tmp.
func TestLocksAreBesideAndBounded(t *testing.T) {
	manifest, registry := filesFixture(t)
	env := map[string]string{lockWaitEnv: "200ms"}

	unlock, err := fsutil.LockTransient(context.Background(), filepath.Join(filepath.Dir(manifest), ".Package.appxmanifest.bgtask-lock"))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := os.ReadFile(manifest)
	code, _, stderr := runWithEnv(env, "--manifest", manifest, "manifest", "add", "--entry-point", "Tasks.Sync", "--type", "timer")
	if code != ExitOperational || !strings.Contains(stderr, "is in use by another bgtask") || !strings.Contains(stderr, "gave up after 200ms; is another bgtask stuck?") {
		t.Errorf("manifest add while locked: exit %d, want %d; stderr: %s", code, ExitOperational, stderr)
	}
	if after, _ := os.ReadFile(manifest); !bytes.Equal(before, after) {
		t.Error("the manifest changed while another bgtask held its lock")
	}
	_ = unlock()

	if err := os.MkdirAll(filepath.Dir(registry), 0o755); err != nil {
		t.Fatal(err)
	}
	unlock, err = fsutil.Lock(context.Background(), fsutil.SiblingLockPath(registry))
	if err != nil {
		t.Fatal(err)
	}
	code, _, stderr = runWithEnv(env, registerArgs(manifest, registry, "First")...)
	if code != ExitOperational || !strings.Contains(stderr, "is in use by another bgtask") || !strings.Contains(stderr, "gave up after 200ms; is another bgtask stuck?") {
		t.Errorf("register while locked: exit %d, want %d; stderr: %s", code, ExitOperational, stderr)
	}
	_ = unlock()

	// Free, the edit goes through and leaves no lock file in the project.
	if code, _, stderr := runWithEnv(nil, "--manifest", manifest, "manifest", "add", "--entry-point", "Tasks.Sync", "--type", "timer"); code != ExitOK {
		t.Fatalf("manifest add: exit %d: %s", code, stderr)
	}
	entries, _ := os.ReadDir(filepath.Dir(manifest))
	for _, e := range entries {
		if strings.Contains(e.Name(), "lock") {
			t.Errorf("left in the project: %s", e.Name())
		}
	}
	if code, _, _ := runWithEnv(map[string]string{lockWaitEnv: "soon"}, registerArgs(manifest, registry, "First")...); code != ExitUsage {
		t.Errorf("$%s=soon: exit %d, want %d", lockWaitEnv, code, ExitUsage)
	}
}

// A newline in a path (typed with --manifest, or a file name found in a
// folder lint walks) is shown escaped in an error: only bgtask's own hint
// lines, indented by two spaces, follow an error's first line. It used to
// split the message, and a file named "x\nbgtask: ..." could forge a line.
func TestErrorsKeepAPathWithANewlineOnItsLine(t *testing.T) {
	dir := t.TempDir()
	forged := filepath.Join(dir, "a\nbgtask: forged.appxmanifest")
	checkLines := func(what, stderr string) {
		t.Helper()
		if !strings.Contains(stderr, `a\x0abgtask: forged.appxmanifest`) {
			t.Errorf("%s: the path is not shown escaped:\n%s", what, stderr)
		}
		for _, line := range strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")[1:] {
			if !strings.HasPrefix(line, "  ") {
				t.Errorf("%s: a line that is not a hint: %q in\n%s", what, line, stderr)
			}
		}
	}
	code, _, stderr := runWithEnv(nil, "manifest", "add", "--manifest", forged, "--entry-point", "Tasks.Raw", "--type", "pushNotification")
	// Windows refuses a name with a newline outright (an error of the
	// file system, exit 4) rather than finding no such file (exit 2).
	if want := ExitUsage; code != want && (runtime.GOOS != "windows" || code == ExitOK) {
		t.Errorf("manifest add of a missing file: exit %d, want %d", code, want)
	}
	checkLines("manifest add", stderr)
	if runtime.GOOS == "windows" {
		return // no file name holds a newline there
	}
	if err := os.WriteFile(forged, []byte("<Package"), 0o644); err != nil {
		t.Skipf("a file name with a newline: %v", err)
	}
	code, stdout, stderr := runWithEnv(map[string]string{"NO_COLOR": "1"}, "lint", "--no-registry", dir)
	if code == ExitOK {
		t.Errorf("lint of a malformed manifest: exit 0")
	}
	if !strings.Contains(stdout, `a\x0abgtask: forged.appxmanifest:1:9: error: malformed XML`) {
		t.Errorf("lint: the path is not shown escaped:\n%s", stdout)
	}
	for _, line := range strings.Split(stdout+stderr, "\n") {
		if strings.HasPrefix(line, "bgtask: forged") {
			t.Errorf("lint: a forged line:\n%s%s", stdout, stderr)
		}
	}
}
