package simulate

import "syscall"

// setDeathSignal asks the kernel to kill the plugin when bgtask dies, even
// by SIGKILL, when no code of bgtask's can run (PR_SET_PDEATHSIG). It covers
// the plugin process only: the processes it starts are killed by bgtask's
// own cleanup, which a SIGKILL skips (docs/plugins.md says so). The signal
// follows the thread that started the plugin; Go ends threads only for
// goroutines that exit while locked to one, which the host never does.
func setDeathSignal(attr *syscall.SysProcAttr) { attr.Pdeathsig = syscall.SIGKILL }
