//go:build !unix && !windows

package simulate

import (
	"errors"
	"os/exec"
)

// processGroup is unsupported here: only the plugin itself can be killed.
type processGroup struct{}

func prepareGroup(*exec.Cmd) {}

func attachGroup(*exec.Cmd) (*processGroup, error) {
	return nil, errors.New("process groups are not supported on this system")
}

func (*processGroup) kill() (bool, error) { return false, nil }
func (*processGroup) close()              {}
