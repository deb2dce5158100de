package simulate

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
)

// groupHasLiveMember reports whether a process that is not a zombie is in
// process group pgid, from /proc. When /proc cannot be read it says yes, and
// the kill's own answer decides.
func groupHasLiveMember(pgid int) bool {
	stats, err := filepath.Glob("/proc/[0-9]*/stat")
	if err != nil || len(stats) == 0 {
		return true
	}
	for _, path := range stats {
		data, err := os.ReadFile(path)
		if err != nil {
			continue // the process ended meanwhile
		}
		// "pid (comm) state ppid pgrp ...": comm may hold spaces and parens.
		end := bytes.LastIndexByte(data, ')')
		if end < 0 {
			continue
		}
		fields := bytes.Fields(data[end+1:])
		if len(fields) < 3 {
			continue
		}
		state := string(fields[0])
		if state == "Z" || state == "X" {
			continue
		}
		if g, err := strconv.Atoi(string(fields[2])); err == nil && g == pgid {
			return true
		}
	}
	return false
}
