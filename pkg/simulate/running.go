package simulate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Unregister(true) cancels running instances with reason Abort
// (windows-facts.md §3 "BackgroundTaskRegistration"). Instances run inside
// the bgtask push, trigger or serve process that started them, so an
// unregister in another process reaches them through files beside the
// registry: the broker records each running instance in the running folder,
// and RequestCancel leaves a cancel request there that the broker polls for.
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

// markRunning records in as running. It returns the cancel request file to
// watch and a function that removes the record (and any request). It is best
// effort: when the folder cannot be written, cancellation from another
// process is not available, and watch is "".
func markRunning(registryPath string, in InstanceReport) (watch string, done func()) {
	dir := RunningDir(registryPath)
	record := filepath.Join(dir, in.InstanceID+".json")
	watch = filepath.Join(dir, in.InstanceID+".cancel")
	data, _ := json.Marshal(runningRecord{TaskID: in.Registration.TaskID.String(), Name: in.Registration.Name,
		InstanceID: in.InstanceID, PID: os.Getpid()})
	// The folder stays once made: making and removing it for every instance
	// cost a delivery more than the rest of the broker together. A record
	// is written in one write; a reader that catches it half-written skips
	// it as not JSON, which only a cancel request in that microsecond misses.
	err := os.WriteFile(record, data, 0o644)
	if errors.Is(err, fs.ErrNotExist) && os.Mkdir(dir, 0o755) == nil {
		err = os.WriteFile(record, data, 0o644)
	}
	if err != nil {
		return "", func() {}
	}
	return watch, func() {
		_ = os.Remove(watch)
		_ = os.Remove(record)
	}
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
		data, err := os.ReadFile(path)
		if err != nil {
			continue // it ended meanwhile
		}
		var rec runningRecord
		if json.Unmarshal(data, &rec) != nil || rec.InstanceID+".json" != name {
			continue // not ours to judge or remove
		}
		if rec.TaskID != taskID {
			continue
		}
		if !processAlive(rec.PID) {
			_ = os.Remove(path)
			continue
		}
		if err := writeVisible(filepath.Join(dir, rec.InstanceID+".cancel"), []byte(taskID+"\n")); err != nil {
			return asked, fmt.Errorf("asking instance %s to cancel: %w", rec.InstanceID, err)
		}
		asked++
	}
	return asked, nil
}
