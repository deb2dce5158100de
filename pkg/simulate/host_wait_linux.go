package simulate

import (
	"os"
	"unsafe"

	"golang.org/x/sys/unix"
)

// awaitExit returns once process pid has exited, without reaping it: os/exec
// does that next, at once. It waits in the runtime's poller on a pidfd
// (Linux 5.3; PIDFD_NONBLOCK since 5.10), where os/exec's Wait would block
// a thread in waitid for the plugin's whole life; with a plugin running and
// the next one started ahead, those blocked threads kept the runtime's
// monitor waking every 20 us to hand their processors on, a sixth of serve's
// CPU time. On an older kernel it returns at once and Wait blocks as before.
func awaitExit(pid int) {
	fd, err := unix.PidfdOpen(pid, unix.PIDFD_NONBLOCK)
	if err != nil {
		return
	}
	f := os.NewFile(uintptr(fd), "pidfd")
	defer f.Close()
	rc, err := f.SyscallConn()
	if err != nil {
		return
	}
	_ = rc.Read(func(fd uintptr) bool {
		var info unix.Siginfo
		err := unix.Waitid(unix.P_PIDFD, int(fd), &info, unix.WEXITED|unix.WNOHANG|unix.WNOWAIT, nil)
		// Not ready (no pid in info) means wait for the pidfd to be readable.
		return err != nil || *(*int32)(unsafe.Add(unsafe.Pointer(&info), siginfoPidOffset)) != 0
	})
}
