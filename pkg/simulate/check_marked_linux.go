package simulate

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"syscall"
	"time"
)

const (
	groupWord = "process group"
	// unseen is what the check cannot see on Linux.
	unseen = "no process it started is alive elsewhere (one that also cleared its environment could not be seen)"
)

// killMarked kills every live process whose environment holds
// name=marker, or name=marker.ANYTHING (the markers of one plugin start
// extend bgtask's own: hostMarker), with the process group each leads, and returns
// their pids. It reads /proc/PID/environ, which bgtask can read for its own
// user's processes. The processes it looks at are bgtask's descendants when
// bgtask adopts orphans (AdoptOrphans): every process a plugin started is
// one of them then, wherever it went. Otherwise it reads the stat file of
// every process on the machine (about 10 us each) and looks at those
// started after bgtask. beforeKilling, when not nil, is called once,
// before the first kill. skipRunning leaves out the process trees of the
// plugins still running, for a marker none of them carries.
func killMarked(name, marker string, beforeKilling func(), skipRunning bool) []int {
	want := []byte(name + "=" + marker)
	self, ownGroup := os.Getpid(), syscall.Getpgrp()
	var killed []int
	sent := map[int]bool{}
	// A killed process's children may fork on until the kill lands: a few
	// rounds catch what the first one missed.
	for round := range 5 {
		if round > 0 {
			time.Sleep(10 * time.Millisecond) // for the kills to land
		}
		var found []procEntry
		procs, err := markedCandidates(self, skipRunning)
		if err != nil {
			break
		}
		for _, p := range procs {
			env, err := os.ReadFile(filepath.Join("/proc", strconv.Itoa(p.pid), "environ"))
			if err == nil && hasMarker(env, want) {
				found = append(found, p)
			}
		}
		if len(found) == 0 || allIn(found, sent) {
			break
		}
		if beforeKilling != nil {
			beforeKilling()
			beforeKilling = nil
		}
		for _, p := range found {
			if sent[p.pid] {
				continue
			}
			sent[p.pid] = true
			// The group kill may end p, and bgtask's reaper (AdoptOrphans)
			// reap it, before p's own kill: ESRCH then, yet p was killed.
			groupKilled := false
			if p.pgrp == p.pid && p.pgrp != ownGroup {
				groupKilled = syscall.Kill(-p.pgrp, syscall.SIGKILL) == nil
			}
			if err := syscall.Kill(p.pid, syscall.SIGKILL); groupKilled || err == nil || !errors.Is(err, syscall.ESRCH) {
				killed = append(killed, p.pid)
			}
		}
	}
	sort.Ints(killed)
	return killed
}

// hasMarker reports whether env, a /proc/PID/environ, holds the variable
// want (NAME=VALUE) or an extension of its value after a '.'.
func hasMarker(env, want []byte) bool {
	for at := 0; at < len(env); {
		end := bytes.IndexByte(env[at:], 0)
		if end < 0 {
			end = len(env) - at
		}
		if v := env[at : at+end]; bytes.HasPrefix(v, want) && (len(v) == len(want) || v[len(want)] == '.') {
			return true
		}
		at += end + 1
	}
	return false
}

func allIn(ps []procEntry, set map[int]bool) bool {
	for _, p := range ps {
		if !set[p.pid] {
			return false
		}
	}
	return true
}

// markedCandidates lists the live processes that may carry the marker: the
// descendants of this process when it adopts orphans, else every process
// started after it (what started before cannot descend from its plugins).
func markedCandidates(self int, skipRunning bool) ([]procEntry, error) {
	if procs, ok := descendants(skipRunning); ok {
		return procs, nil
	}
	procs, err := liveProcesses()
	if err != nil {
		return nil, err
	}
	var selfStart uint64
	for _, p := range procs {
		if p.pid == self {
			selfStart = p.start
		}
	}
	var after []procEntry
	for _, p := range procs {
		if p.pid != self && p.start >= selfStart {
			after = append(after, p)
		}
	}
	return after, nil
}
