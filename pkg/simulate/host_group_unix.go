//go:build unix

package simulate

import (
	"errors"
	"os/exec"
	"syscall"
)

// processGroup is the plugin's process group; its id is the plugin's pid.
type processGroup struct{ pgid int }

// prepareGroup makes the plugin lead a new process group, which its
// children join unless they leave on purpose.
func prepareGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	setDeathSignal(cmd.SysProcAttr)
}

func attachGroup(cmd *exec.Cmd) (*processGroup, error) {
	return &processGroup{pgid: cmd.Process.Pid}, nil
}

// kill sends SIGKILL to the whole group and reports whether it had live
// members. Zombies do not count: they are dead, only not reaped yet, and
// where PID 1 does not reap orphans (containers without an init) they stay
// in the group for good, yet still make kill succeed.
func (g *processGroup) kill() (bool, error) {
	// Signal 0 probes the group: an empty one, the common case, needs no
	// look at its members.
	if errors.Is(syscall.Kill(-g.pgid, 0), syscall.ESRCH) {
		return false, nil
	}
	live := groupHasLiveMember(g.pgid)
	err := syscall.Kill(-g.pgid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return false, nil
	}
	return err == nil && live, err
}

func (g *processGroup) close() {}
