//go:build !unix && !windows

package simulate

import "os/exec"

// processGroup is unsupported here: only the plugin itself can be killed.
type processGroup struct{}

func prepareGroup(*exec.Cmd) {}

// attachGroup returns no group: the host then kills the plugin alone, and
// children it starts may outlive it.
func attachGroup(*exec.Cmd) (*processGroup, error) { return nil, nil }

func (*processGroup) kill() (bool, error) { return false, nil }
func (*processGroup) close()              {}
