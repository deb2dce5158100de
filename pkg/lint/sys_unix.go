//go:build unix && !(linux && (amd64 || arm64))

package lint

import "syscall"

// The system calls readRegular makes, through package syscall; on Linux
// (amd64, arm64) sys_linux.go makes them raw.

func sysOpen(path string, flags int) (int, error) { return syscall.Open(path, flags, 0) }

func sysFstat(fd int, st *syscall.Stat_t) error { return syscall.Fstat(fd, st) }

func sysRead(fd int, b []byte) (int, error) { return syscall.Read(fd, b) }

func sysClose(fd int) { syscall.Close(fd) }
