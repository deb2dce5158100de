package simulate

import (
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/google/uuid"
)

// hostMarkerEnv marks every plugin process, and every process it starts,
// with a token of this bgtask process. Children inherit it also when they
// leave the plugin's process group (setsid, a daemon's double fork), where
// the group kill cannot reach them; EndEscaped finds them by it.
const hostMarkerEnv = "BGTASK_HOST"

// The marker is one token for the whole bgtask process, and the flag says
// whether any plugin was started: both are about the process, not about
// one caller, so they are package state, written once.
var (
	hostMarker     = sync.OnceValue(uuid.NewString)
	pluginStarts   atomic.Uint64
	pluginsStarted atomic.Bool
	adoptRequested atomic.Bool
)

// AdoptOrphans makes this process adopt the orphans of the processes its
// plugins start, from the first plugin on (on Linux: it becomes their child
// subreaper, and reaps them when they exit; elsewhere it does nothing). The
// processes a plugin started then stay below bgtask wherever they go, and
// EndEscaped finds them by walking bgtask's own process tree rather than
// every process on the machine. Call it before the first plugin starts, and
// only in a program whose child processes are all plugins started by this
// package: the reaper would take the exit status of any other child.
func AdoptOrphans() { adoptRequested.Store(true) }

// EndEscaped kills every process still alive that a plugin of this bgtask
// process started, wherever it went, and returns their pids. bgtask calls
// it as it exits, so that no plugin's descendant outlives it. It finds them
// on Linux only (by the marker in /proc/PID/environ); elsewhere it returns
// nil, and docs/plugins.md says what each system guarantees.
//
// beforeKilling, when not nil, is called once, just before the first kill,
// and not at all when nothing escaped: ending escaped processes can take a
// few rounds of kills, and bgtask gives its signals their default actions
// back there so that Ctrl-C stops it meanwhile, without paying for that
// (a round trip with the runtime's signal thread per signal) on every run.
func EndEscaped(beforeKilling func()) []int {
	if !pluginsStarted.Load() {
		return nil
	}
	return killMarked(hostMarkerEnv, hostMarker(), beforeKilling, false)
}

// startMarker is the marker of one plugin start: bgtask's own, extended, so
// that the instance's end finds what that plugin left outside its group
// (endEscapedOf) and bgtask's exit finds what every plugin left.
func startMarker() string {
	return hostMarker() + "." + strconv.FormatUint(pluginStarts.Add(1), 10)
}

// endEscapedOf kills what the plugin started with marker left alive outside
// its process group (setsid, a daemon's double fork), as Windows' Job Object
// ends every process of a task's host with it, and returns their pids. On
// Linux only; elsewhere nothing is found (docs/plugins.md).
func endEscapedOf(marker string) []int {
	if keepEscapedForTests.Load() {
		return nil
	}
	// What one start left cannot be below another plugin still running
	// (a process prestarted for the next instance, say): an orphan goes
	// to its nearest subreaper among its ancestors, bgtask.
	return killMarked(hostMarkerEnv, marker, nil, true)
}

// keepEscapedForTests leaves escaped processes to EndEscaped, so that the
// tests of that last sweep (a process that escaped after the instance's own
// search, or a bgtask stopped mid-instance) have something to find.
var keepEscapedForTests atomic.Bool
