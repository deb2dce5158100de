//go:build !linux && !windows

package simulate

import (
	"errors"
	"time"
)

// errNoLiveCPUTime: this OS gives a running process's CPU time only through
// interfaces bgtask does not use (cgo); the quota is checked at exit.
var errNoLiveCPUTime = errors.New("the CPU time of a running process is not read on this OS")

func (pr *process) cpuTime() (time.Duration, error) { return 0, errNoLiveCPUTime }
