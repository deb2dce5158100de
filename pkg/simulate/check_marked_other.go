//go:build !linux && !windows

package simulate

import "runtime"

// What the check looks at, and what it cannot see: a process that leaves
// the plugin's process group (setsid) is out of sight here.
const (
	groupWord = "process group"
	unseen    = "a process that left the group (setsid, a daemon) cannot be seen on " + runtime.GOOS
)

// killMarked finds nothing: only Linux lets bgtask find processes by the
// environment they inherited.
func killMarked(_, _ string, _ func(), _ bool) []int { return nil }
