package simulate

import (
	"bytes"
	"errors"
	"maps"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"sync"
	"syscall"
	"unsafe"

	"golang.org/x/sys/unix"
)

// With AdoptOrphans, bgtask is the child subreaper of what its plugins start
// (PR_SET_CHILD_SUBREAPER, Linux 3.4): a process whose parent dies, a
// daemon's double fork or a setsid'd child of a plugin that exited, becomes
// bgtask's child instead of init's. Every process a plugin started is then
// a descendant of bgtask, so the exit-time sweep walks bgtask's own tree
// (/proc/PID/task/TID/children) instead of reading the stat file of every
// process on the machine, and it finds escaped processes that cleared their
// environment too, unless they also cleared the marker, which only a
// descendant can carry.
//
// Adopted orphans are reaped by bgtask when they exit (on SIGCHLD, and after
// each plugin's exit), so that a long `bgtask serve` collects no zombies.
// A child that os/exec started and has not waited for yet is never reaped
// here: its exit status is os/exec's. That is why adopting is asked for by
// the program (cmd.Main) and not done by the package on its own: in a
// program that starts other children and waits for them, the reaper would
// take their exit statuses.
var (
	adoptOnce sync.Once
	// adopting: this process is a subreaper and reaps its orphans.
	adopting bool
	// childMu orders cmd.Start and the record of started plugins with the
	// reaper, so that it never takes a plugin's exit status.
	childMu sync.Mutex
	// started holds the pids of plugins started and not yet waited for.
	started = map[int]bool{}
)

// prSetChildSubreaper is PR_SET_CHILD_SUBREAPER.
const prSetChildSubreaper = 36

// becomeSubreaper makes this process the subreaper of its descendants and
// starts reaping adopted orphans; on a kernel that refuses, nothing changes
// and the sweep looks at every process. (On a kernel without the children
// files, CONFIG_PROC_CHILDREN, orphans are still adopted and reaped, and
// the sweep looks at every process: descendants says it cannot walk.)
func becomeSubreaper() {
	if !adoptRequested.Load() {
		return
	}
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return
	}
	childMu.Lock()
	adopting = true
	childMu.Unlock()
	sigchld := make(chan os.Signal, 1)
	signal.Notify(sigchld, syscall.SIGCHLD)
	go func() {
		for range sigchld {
			childMu.Lock()
			reapAdoptedLocked()
			childMu.Unlock()
		}
	}()
}

// warmStartOnce: before its first start of a process, Go checks once
// whether pidfds work, by cloning a child and waiting for it (about 0.15 ms
// here). os.FindProcess makes the same check; warmStart has it made on a
// goroutine of its own while the broker reads the registry, so that the
// first plugin start does not wait for it. Becoming the subreaper (a prctl,
// and a round trip with the runtime's signal thread to ask for SIGCHLD,
// about 0.2 ms) is done there too; startChild waits for it if it is not
// done yet.
var warmStartOnce sync.Once

func warmStart() {
	warmStartOnce.Do(func() {
		go func() {
			adoptOnce.Do(becomeSubreaper)
			if p, err := os.FindProcess(os.Getpid()); err == nil {
				_ = p.Release()
			}
		}()
	})
}

// startChild starts cmd, recorded as a plugin for the reaper.
func startChild(cmd *exec.Cmd) error {
	adoptOnce.Do(becomeSubreaper)
	childMu.Lock()
	defer childMu.Unlock()
	if err := cmd.Start(); err != nil {
		return err
	}
	if adopting {
		started[cmd.Process.Pid] = true
	}
	return nil
}

// childWaited is called once os/exec has waited for the plugin pid: it is
// no longer a child, and an orphan that waited behind it can be reaped.
func childWaited(pid int) {
	childMu.Lock()
	defer childMu.Unlock()
	if adopting {
		delete(started, pid)
		reapAdoptedLocked()
	}
}

// siginfoPidOffset is where si_pid lies in a siginfo_t: after three ints,
// at the alignment of a pointer (the kernel's union), on every Linux port.
const siginfoPidOffset = (12 + unsafe.Sizeof(uintptr(0)) - 1) &^ (unsafe.Sizeof(uintptr(0)) - 1)

// reapAdoptedLocked reaps the children that have exited and are not plugins
// os/exec waits for. It looks at an exited child without reaping it
// (WNOWAIT) first; when that is a plugin, it stops, and childWaited comes
// back once os/exec has reaped it.
func reapAdoptedLocked() {
	for {
		var info unix.Siginfo
		if err := unix.Waitid(unix.P_ALL, 0, &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil); err != nil {
			return // ECHILD: no children at all
		}
		pid := int(*(*int32)(unsafe.Add(unsafe.Pointer(&info), siginfoPidOffset)))
		if pid <= 0 || started[pid] {
			return
		}
		var status syscall.WaitStatus
		if got, err := syscall.Wait4(pid, &status, syscall.WNOHANG, nil); got != pid && !errors.Is(err, syscall.EINTR) {
			return
		}
	}
}

// descendants lists the live processes below this one, from /proc; ok is
// false when the tree cannot be walked (this process is not a subreaper,
// or the kernel lacks the children files), and the caller must look at
// every process instead. skipRunning leaves out the plugins os/exec has
// not waited for and their descendants.
func descendants(skipRunning bool) (procs []procEntry, ok bool) {
	childMu.Lock()
	walk := adopting
	var running map[int]bool
	if skipRunning {
		running = maps.Clone(started)
	}
	childMu.Unlock()
	if !walk {
		return nil, false
	}
	// This process's own children are read from its main thread alone: a
	// subreaper's orphans are given to its main thread, and a child another
	// thread started is a plugin, which has been waited for by the time
	// anyone sweeps. Reading each thread's file would list the task folder,
	// and Linux then spends about a millisecond of system time
	// invalidating the dentries when this process is reaped.
	self := strconv.Itoa(os.Getpid())
	data, err := readProcFile("/proc/"+self+"/task/"+self+"/children", nil)
	if err != nil {
		return nil, false // no children files: a kernel without CONFIG_PROC_CHILDREN
	}
	queue := parsePIDs(data, nil)
	seen := map[int]bool{os.Getpid(): true}
	for pid := range running {
		seen[pid] = true
	}
	for len(queue) > 0 {
		pid := queue[0]
		queue = queue[1:]
		if seen[pid] {
			continue
		}
		seen[pid] = true
		p, state, ok := readStat(strconv.Itoa(pid))
		if !ok || state == 'Z' || state == 'X' {
			continue // gone, or dead and childless
		}
		procs = append(procs, p)
		children, _ := readChildren(pid) // it may end meanwhile
		queue = append(queue, children...)
	}
	return procs, true
}

// readChildren lists the children of every thread of process pid
// (/proc/PID/task/TID/children): a child's parent is the thread that
// started it, or that adopted it.
func readChildren(pid int) ([]int, error) {
	dir := "/proc/" + strconv.Itoa(pid) + "/task/"
	d, err := os.Open(dir)
	if err != nil {
		return nil, err
	}
	tids, err := d.Readdirnames(-1)
	d.Close()
	if err != nil {
		return nil, err
	}
	var pids []int
	buf := make([]byte, 512)
	for _, tid := range tids {
		data, err := readProcFile(dir+tid+"/children", buf)
		if err != nil {
			continue // the thread ended meanwhile
		}
		pids = parsePIDs(data, pids)
		buf = data[:0]
	}
	return pids, nil
}

// parsePIDs appends the pids of a children file to pids.
func parsePIDs(data []byte, pids []int) []int {
	for _, f := range bytes.Fields(data) {
		if n, err := strconv.Atoi(string(f)); err == nil {
			pids = append(pids, n)
		}
	}
	return pids
}

// readProcFile reads a small /proc file whole, into buf when it fits: with
// three system calls, where os.ReadFile makes about ten.
func readProcFile(path string, buf []byte) ([]byte, error) {
	fd, err := syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, err
	}
	defer syscall.Close(fd)
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if errors.Is(err, syscall.EINTR) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}
