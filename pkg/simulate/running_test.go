package simulate

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/pkg/tasks"
)

// runningFiles lists the running folder of registry.
func runningFiles(t *testing.T, registry string) []os.FileInfo {
	t.Helper()
	entries, err := os.ReadDir(RunningDir(registry))
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	var infos []os.FileInfo
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			t.Fatal(err)
		}
		infos = append(infos, info)
	}
	return infos
}

// A broker that delivers again and again (bgtask serve) keeps one record
// file, the same file, for all its instances, naming none between them, so that
// unregister --cancel in another process finds nothing to cancel then and
// leaves the file of a live bgtask alone; Close removes it.
func TestRunningRecordIsOneFilePerBroker(t *testing.T) {
	registry := filepath.Join(t.TempDir(), "registry.json")
	register(t, registry, "Noop", "Tasks.Noop", "push", "noop")
	reg, err := tasks.Load(registry)
	if err != nil {
		t.Fatal(err)
	}
	taskID := reg.Registrations[0].TaskID.String()
	b := &Broker{RegistryPath: registry}
	var first os.FileInfo
	var size int64
	for i := range 3 {
		rep, err := b.Push(context.Background(), payload("p"), DeliveryOptions{Policy: quick}, DeliveryObserver{})
		if err != nil || !rep.AllCompleted() {
			t.Fatalf("push %d: %v %+v", i+1, err, rep)
		}
		files := runningFiles(t, registry)
		if len(files) != 1 {
			t.Fatalf("after delivery %d the running folder holds %v, want one record", i+1, files)
		}
		data, err := os.ReadFile(filepath.Join(RunningDir(registry), files[0].Name()))
		if want := fmt.Sprintf(`{"pid":%d}`, os.Getpid()); err != nil || strings.TrimRight(string(data), " ") != want {
			t.Fatalf("between instances the record reads %q (%v), want %s padded with spaces", data, err, want)
		}
		if first == nil {
			first, size = files[0], files[0].Size()
		} else if !os.SameFile(first, files[0]) {
			t.Errorf("delivery %d made a new record file", i+1)
		} else if files[0].Size() != size {
			// Padded to the longest record, which every instance's is.
			t.Errorf("after delivery %d the record is %d bytes, after the first %d", i+1, files[0].Size(), size)
		}
		if n, err := RequestCancel(registry, taskID); err != nil || n != 0 {
			t.Errorf("between instances, RequestCancel asked %d (%v), want none", n, err)
		}
	}
	if files := runningFiles(t, registry); len(files) != 1 {
		t.Errorf("RequestCancel removed the record of a live broker: %v", files)
	}
	b.Close()
	if files := runningFiles(t, registry); len(files) != 0 {
		t.Errorf("after Close the running folder holds %d file(s), want none", len(files))
	}
}

// The record of a bgtask that was killed is removed by the next
// RequestCancel, whether it was between instances or in one; files that
// are not records are left alone.
func TestRequestCancelRemovesRecordsOfDeadProcesses(t *testing.T) {
	dir := t.TempDir()
	registry := filepath.Join(dir, "registry.json")
	running := RunningDir(registry)
	if err := os.Mkdir(running, 0o755); err != nil {
		t.Fatal(err)
	}
	// A pid that is certainly free: a child that has exited and been reaped.
	dead := exec.Command(testPlugin("noop").Path)
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	pid := dead.Process.Pid
	idle := filepath.Join(running, fmt.Sprintf("%d-1.json", pid))
	busy := filepath.Join(running, fmt.Sprintf("%d-2.json", pid))
	other := filepath.Join(running, "notes.json")
	// Pid 0 is no process: the name is not a record's.
	zero := filepath.Join(running, "0-1.json")
	for path, data := range map[string]string{
		idle:  "",
		busy:  fmt.Sprintf(`{"taskId":"t","name":"n","instanceId":"i","pid":%d}`, pid),
		other: `{"taskId":"t","name":"n","instanceId":"i","pid":1}`,
		zero:  `{"taskId":"t","name":"n","instanceId":"i","pid":0}`,
	} {
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := RequestCancel(registry, "t"); err != nil || n != 0 {
		t.Errorf("RequestCancel asked %d (%v), want none: the only instance's bgtask is gone", n, err)
	}
	for _, path := range []string{idle, busy} {
		if _, err := os.Stat(path); !os.IsNotExist(err) {
			t.Errorf("%s of a dead bgtask is still there (%v)", filepath.Base(path), err)
		}
	}
	for _, path := range []string{other, zero} {
		if _, err := os.Stat(path); err != nil {
			t.Errorf("%s, no record, was touched: %v", filepath.Base(path), err)
		}
	}
}

// A record removed while its bgtask runs (the folder cleaned up by hand, or
// an unregister --cancel in another PID namespace that judged the process
// gone) is made again by the next instance: written to the removed file,
// it would have hidden that serve from every cancel (hostile review).
func TestRunningRecordIsMadeAgainWhenRemoved(t *testing.T) {
	registry := filepath.Join(t.TempDir(), "registry.json")
	register(t, registry, "Noop", "Tasks.Noop", "push", "noop")
	b := &Broker{RegistryPath: registry}
	defer b.Close()
	push := func() {
		t.Helper()
		if rep, err := b.Push(context.Background(), payload("p"), DeliveryOptions{Policy: quick}, DeliveryObserver{}); err != nil || !rep.AllCompleted() {
			t.Fatalf("push: %v %+v", err, rep)
		}
	}
	push()
	files := runningFiles(t, registry)
	if len(files) != 1 {
		t.Fatalf("running folder %v, want one record", files)
	}
	if err := os.Remove(filepath.Join(RunningDir(registry), files[0].Name())); err != nil {
		t.Fatal(err)
	}
	push()
	if files := runningFiles(t, registry); len(files) != 1 {
		t.Errorf("after the record was removed, the next instance left %d record(s), want one made again", len(files))
	}
}

// Records as bgtask wrote them before (one per instance, named by its id)
// are still honoured: a running one is asked to cancel, one whose bgtask
// is gone is removed.
func TestRequestCancelReadsPerInstanceRecords(t *testing.T) {
	registry := filepath.Join(t.TempDir(), "registry.json")
	running := RunningDir(registry)
	if err := os.Mkdir(running, 0o755); err != nil {
		t.Fatal(err)
	}
	dead := exec.Command(testPlugin("noop").Path)
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	write := func(id string, pid int) string {
		path := filepath.Join(running, id+".json")
		data := fmt.Sprintf(`{"taskId":"t","name":"n","instanceId":%q,"pid":%d}`, id, pid)
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		return path
	}
	// A record between instances, of a live bgtask, read first (by name):
	// it names no instance, and the others are still looked at.
	if err := os.WriteFile(filepath.Join(running, "1-1.json"), []byte(`{"pid":1}  `), 0o644); err != nil {
		t.Fatal(err)
	}
	live := write("11111111-1111-1111-1111-111111111111", os.Getpid())
	gone := write("22222222-2222-2222-2222-222222222222", dead.Process.Pid)
	if n, err := RequestCancel(registry, "t"); err != nil || n != 1 {
		t.Errorf("RequestCancel asked %d (%v), want the one running instance", n, err)
	}
	if _, err := os.Stat(filepath.Join(running, "11111111-1111-1111-1111-111111111111.cancel")); err != nil {
		t.Errorf("no cancel request for the running instance: %v", err)
	}
	if _, err := os.Stat(live); err != nil {
		t.Errorf("the running instance's record was removed: %v", err)
	}
	if _, err := os.Stat(gone); !os.IsNotExist(err) {
		t.Errorf("the record of a bgtask that is gone is still there (%v)", err)
	}
}
