package simulate

import (
	"bytes"
	"errors"
	"os"
	"strconv"
)

// groupHasLiveMember reports whether a process that is not a zombie is in
// process group pgid, from /proc. When /proc cannot be read it says yes, and
// the kill's own answer decides.
func groupHasLiveMember(pgid int) bool {
	procs, err := liveProcesses()
	if err != nil {
		return true
	}
	for _, p := range procs {
		if p.pgrp == pgid {
			return true
		}
	}
	return false
}

// procEntry is one process as /proc/PID/stat gives it; start is its start
// time in clock ticks since boot.
type procEntry struct {
	pid, pgrp int
	start     uint64
}

// liveProcesses lists the processes that are not zombies, from /proc.
// Zombies are dead, only not reaped yet: where PID 1 reaps nothing they
// linger after being killed.
func liveProcesses() ([]procEntry, error) {
	// The names of /proc, not a glob of /proc/*/stat: a glob lists every
	// process's folder to match "stat", which made this scan, run as every
	// plugin-starting bgtask exits, cost it tens of milliseconds.
	dir, err := os.Open("/proc")
	if err != nil {
		return nil, err
	}
	names, err := dir.Readdirnames(-1)
	dir.Close()
	if err != nil {
		return nil, err
	}
	var live []procEntry
	seen := 0
	for _, name := range names {
		if name == "" || name[0] < '0' || name[0] > '9' {
			continue
		}
		seen++
		if p, state, ok := readStat(name); ok && state != 'Z' && state != 'X' {
			live = append(live, p)
		}
	}
	if seen == 0 {
		return nil, errors.New("/proc lists no process")
	}
	return live, nil
}

// readStat reads /proc/PID/stat for the process named pid; ok is false when
// it ended meanwhile or the line is not what Linux writes.
func readStat(pid string) (p procEntry, state byte, ok bool) {
	var buf [512]byte
	data, err := readProcFile("/proc/"+pid+"/stat", buf[:0])
	if err != nil {
		return p, 0, false
	}
	// "pid (comm) state ppid pgrp ...": comm may hold spaces and parens.
	end := bytes.LastIndexByte(data, ')')
	if end < 0 {
		return p, 0, false
	}
	fields := bytes.Fields(data[end+1:])
	if len(fields) < 3 || len(fields[0]) != 1 {
		return p, 0, false
	}
	pidField, _, _ := bytes.Cut(data, []byte(" "))
	id, err1 := strconv.Atoi(string(pidField))
	pgrp, err2 := strconv.Atoi(string(fields[2]))
	if err1 != nil || err2 != nil {
		return p, 0, false
	}
	p = procEntry{pid: id, pgrp: pgrp}
	if len(fields) > 19 {
		p.start, _ = strconv.ParseUint(string(fields[19]), 10, 64)
	}
	return p, fields[0][0], true
}
