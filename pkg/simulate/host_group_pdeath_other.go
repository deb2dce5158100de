//go:build unix && !linux

package simulate

import "syscall"

// setDeathSignal does nothing: only Linux can kill a child when its parent
// dies. Elsewhere a plugin outlives a bgtask killed by SIGKILL.
func setDeathSignal(*syscall.SysProcAttr) {}
