//go:build unix

package fsutil

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"syscall"
	"testing"
	"time"
)

// A FIFO is refused at once: opening it for reading used to wait for a
// writer forever (a registry path that was a FIFO hung register while it
// held the registry's lock).
func TestOpenRegularRefusesAFIFOWithoutWaiting(t *testing.T) {
	fifo := filepath.Join(t.TempDir(), "reg.json")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		_, _, err := OpenRegular(fifo)
		done <- err
	}()
	select {
	case err := <-done:
		var nr *NotRegularError
		if !errors.As(err, &nr) || nr.Mode&fs.ModeNamedPipe == 0 || nr.Error() != fifo+" is a named pipe (FIFO), not a regular file" {
			t.Errorf("OpenRegular(FIFO) = %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("OpenRegular(FIFO) is still waiting after 10 s")
	}
	// And a write never renames over it.
	err := WriteFile(fifo, []byte("x"), 0o644)
	var nr *NotRegularError
	if !errors.As(err, &nr) {
		t.Errorf("WriteFile over a FIFO: %v", err)
	}
	if info, err := os.Lstat(fifo); err != nil || info.Mode()&fs.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", err)
	}
}

// Write permission is the system's answer for this user, not "some write
// bit is set": mode 0464 leaves the owner unable to write (the group can),
// and WriteFile must refuse it as read-only rather than rename over it.
// Root may write anything, so the check runs as the user nobody, in a
// child process of this test binary.
func TestWriteFileRefusesAFileItsUserCannotWrite(t *testing.T) {
	if dir := os.Getenv("BGTASK_FSUTIL_NOBODY_DIR"); dir != "" {
		path := filepath.Join(dir, "reg.json")
		err := WriteFile(path, []byte("new"), 0o644)
		var ro *ReadOnlyError
		if !errors.As(err, &ro) {
			t.Fatalf("WriteFile of a 0464 file owned by this user: %v, want a *ReadOnlyError", err)
		}
		return
	}
	if os.Geteuid() != 0 {
		// Not root: this process is the file's owner itself.
		path := filepath.Join(t.TempDir(), "reg.json")
		if err := os.WriteFile(path, []byte("old"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(path, 0o464); err != nil {
			t.Fatal(err)
		}
		var ro *ReadOnlyError
		if err := WriteFile(path, []byte("new"), 0o644); !errors.As(err, &ro) {
			t.Errorf("WriteFile of a 0464 file owned by this user: %v, want a *ReadOnlyError", err)
		}
		return
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skipf("no user nobody: %v", err)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	gid, _ := strconv.Atoi(nobody.Gid)
	dir, err := os.MkdirTemp("", "fsutil-nobody-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "reg.json")
	if err := os.WriteFile(path, []byte("old"), 0o464); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{dir, path} {
		if err := os.Chown(p, uid, gid); err != nil {
			t.Skipf("chown: %v", err)
		}
	}
	if err := os.Chmod(path, 0o464); err != nil {
		t.Fatal(err)
	}
	// A copy of this test binary that nobody may run (go test's own is
	// in a folder only root may enter).
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	exe := filepath.Join(dir, "fsutil.test")
	data, err := os.ReadFile(self)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, "-test.run=^TestWriteFileRefusesAFileItsUserCannotWrite$", "-test.count=1")
	cmd.Env = append(os.Environ(), "BGTASK_FSUTIL_NOBODY_DIR="+dir)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid)}}
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("as nobody: %v\n%s", err, out)
	}
	if data, _ := os.ReadFile(path); string(data) != "old" {
		t.Errorf("file holds %q, want old", data)
	}
}

// ReadRegular reads a regular file up to its limit and one byte more, says
// a missing file is missing, and refuses a FIFO without waiting on it.
func TestReadRegular(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f")
	if err := os.WriteFile(path, []byte("0123456789"), 0o644); err != nil {
		t.Fatal(err)
	}
	for limit, want := range map[int64]string{20: "0123456789", 10: "0123456789", 4: "01234"} {
		if got, err := ReadRegular(path, limit); err != nil || string(got) != want {
			t.Errorf("limit %d: %q, %v; want %q", limit, got, err, want)
		}
	}
	if _, err := ReadRegular(filepath.Join(dir, "missing"), 10); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing: %v", err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skipf("mkfifo: %v", err)
	}
	done := make(chan error, 1)
	go func() { _, err := ReadRegular(fifo, 10); done <- err }()
	select {
	case err := <-done:
		var nr *NotRegularError
		if !errors.As(err, &nr) {
			t.Errorf("fifo: %v, want a *NotRegularError", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("ReadRegular waited on a FIFO")
	}
}
