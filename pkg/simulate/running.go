package simulate

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Unregister(true) cancels running instances with reason Abort
// (windows-facts.md §3 "BackgroundTaskRegistration"). Instances run inside
// the bgtask push, trigger or serve process that started them, so an
// unregister in another process reaches them through files beside the
// registry: each broker records its running instance in the running folder
// (runningSlot), and RequestCancel leaves a cancel request there that the
// broker polls for.
// The records need no durability (a crash ends the instances they describe),
// so they are written without fsync; they appear whole, through a rename.

// runningRecord describes one running instance.
type runningRecord struct {
	TaskID     string `json:"taskId"`
	Name       string `json:"name"`
	InstanceID string `json:"instanceId"`
	// PID is the bgtask process running it: a record whose process is gone
	// is stale (that bgtask was killed) and is cleaned up, not cancelled.
	PID int `json:"pid"`
}

// cancelPollInterval is how often a running instance's cancel request is
// looked for: a tenth of a second is prompt for a person, and a stat.
const cancelPollInterval = 100 * time.Millisecond

// RunningDir is where the instances of the registry at registryPath are
// recorded while they run.
func RunningDir(registryPath string) string {
	return filepath.Join(filepath.Dir(registryPath), "running")
}

// runningSlot is one broker's record of the instance it runs: a file in the
// running folder named after the bgtask process and the broker
// (PID-N.json), made for the broker's first instance, rewritten for each
// one and naming none between them, and removed by Broker.Close. A file made
// and removed per instance cost the file system an inode each time: an
// eighth of bgtask serve's CPU time per delivery.
type runningSlot struct {
	mu   sync.Mutex
	path string // "" until the first instance
	// size is the file's size: a shorter record is padded to it with
	// spaces (JSON ignores them) rather than the file truncated, which
	// costs the file system a block freed and a journal entry each time.
	size int
}

// slotSeq numbers the brokers of this process.
var slotSeq atomic.Uint64

// mark records in as running. It returns the cancel request file to watch
// and a function that empties the record (and removes any request). It is
// best effort: when the folder cannot be written, cancellation from
// another process is not available, and watch is "".
func (s *runningSlot) mark(registryPath string, in InstanceReport) (watch string, done func()) {
	dir := RunningDir(registryPath)
	watch = filepath.Join(dir, in.InstanceID+".cancel")
	data, _ := json.Marshal(runningRecord{TaskID: in.Registration.TaskID.String(), Name: in.Registration.Name,
		InstanceID: in.InstanceID, PID: os.Getpid()})
	s.mu.Lock()
	defer s.mu.Unlock()
	// One write: a reader that catches it half-written finds no JSON and
	// skips it, which only a cancel request in that microsecond misses.
	if !s.writeLocked(dir, data) {
		return "", func() {}
	}
	return watch, func() {
		_ = os.Remove(watch)
		s.mu.Lock()
		defer s.mu.Unlock()
		// Between instances the record names none.
		s.writeLocked(dir, []byte(`{"pid":`+strconv.Itoa(os.Getpid())+`}`))
	}
}

// writeLocked replaces the record with data, padded to the file's size.
// The file is opened for each write, not held open: held, it kept Windows
// from removing the folder (a test's temporary one) while the broker
// lived. A record removed meanwhile (the folder cleaned up by hand, an
// unregister --cancel that could not see this process and judged it gone)
// is made again: left unmade, this bgtask's instances would be out of
// every cancel from then on.
func (s *runningSlot) writeLocked(dir string, data []byte) bool {
	if s.path != "" {
		f, err := os.OpenFile(s.path, os.O_WRONLY, 0)
		if err == nil {
			if pad := s.size - len(data); pad > 0 {
				data = append(data, bytes.Repeat([]byte{' '}, pad)...)
			}
			_, err = f.WriteAt(data, 0)
			if closeErr := f.Close(); err == nil {
				err = closeErr
			}
			if err != nil {
				return false
			}
			s.size = max(s.size, len(data))
			return true
		}
		s.path, s.size = "", 0
	}
	path := filepath.Join(dir, fmt.Sprintf("%d-%d.json", os.Getpid(), slotSeq.Add(1)))
	// The folder stays once made: making and removing it for every
	// instance cost a delivery more than the rest of the broker.
	err := os.WriteFile(path, data, 0o644)
	if errors.Is(err, fs.ErrNotExist) && os.Mkdir(dir, 0o755) == nil {
		err = os.WriteFile(path, data, 0o644)
	}
	if err != nil {
		_ = os.Remove(path)
		return false
	}
	s.path, s.size = path, len(data)
	return true
}

// close removes the record file.
func (s *runningSlot) close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.path != "" {
		_ = os.Remove(s.path)
		s.path, s.size = "", 0
	}
}

// slotPID is the pid in the name of a record file (PID-N.json).
func slotPID(name string) (int, bool) {
	base, ok := strings.CutSuffix(name, ".json")
	if !ok {
		return 0, false
	}
	pid, seq, ok := strings.Cut(base, "-")
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(pid)
	if _, errSeq := strconv.ParseUint(seq, 10, 64); err != nil || errSeq != nil || n <= 0 {
		return 0, false
	}
	return n, true
}

// writeVisible writes path so that a reader sees all of it or none of it.
func writeVisible(path string, data []byte) error {
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		_ = os.Remove(tmp)
		return err
	}
	return nil
}

// RequestCancel asks every running instance of the registration with TaskId
// taskID, in any bgtask process using the registry at registryPath, to
// cancel with reason Abort, and returns how many it asked. Records left by a
// bgtask that no longer runs are removed.
func RequestCancel(registryPath, taskID string) (int, error) {
	dir := RunningDir(registryPath)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("looking for running instances in %s: %w", dir, err)
	}
	asked := 0
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".json") || !e.Type().IsRegular() {
			continue
		}
		path := filepath.Join(dir, name)
		pid, slot := slotPID(name)
		if slot && !processAlive(pid) {
			_ = os.Remove(path) // left by a bgtask that was killed
			continue
		}
		data, err := os.ReadFile(path)
		if err != nil {
			continue // its broker closed meanwhile
		}
		var rec runningRecord
		if json.Unmarshal(data, &rec) != nil || rec.InstanceID == "" {
			continue // between two instances, being written, or not ours
		}
		switch {
		case slot && rec.PID != pid:
			continue // not ours to judge
		case !slot && name != rec.InstanceID+".json":
			continue // not ours to judge or remove
		case !slot && !processAlive(rec.PID):
			// One record per instance, as bgtask wrote them before
			// 2026-12-02, left by a bgtask that was killed.
			_ = os.Remove(path)
			continue
		}
		if rec.TaskID != taskID {
			continue
		}
		if err := writeVisible(filepath.Join(dir, rec.InstanceID+".cancel"), []byte(taskID+"\n")); err != nil {
			return asked, fmt.Errorf("asking instance %s to cancel: %w", rec.InstanceID, err)
		}
		asked++
	}
	return asked, nil
}
