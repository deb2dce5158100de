//go:build !linux

package simulate

import "os/exec"

// Only Linux has child subreapers: elsewhere AdoptOrphans changes nothing.

func startChild(cmd *exec.Cmd) error { return cmd.Start() }

func childWaited(int) {}

func warmStart() {}
