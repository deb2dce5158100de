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
}

func attachGroup(cmd *exec.Cmd) (*processGroup, error) {
	return &processGroup{pgid: cmd.Process.Pid}, nil
}

// kill sends SIGKILL to the whole group and reports whether it had members.
func (g *processGroup) kill() (bool, error) {
	err := syscall.Kill(-g.pgid, syscall.SIGKILL)
	if errors.Is(err, syscall.ESRCH) {
		return false, nil
	}
	return err == nil, err
}

func (g *processGroup) close() {}
