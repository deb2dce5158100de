//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

var sleeper = []string{"sleep", "300"}

// leaveGroup starts cmd in a session of its own.
func leaveGroup(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }
