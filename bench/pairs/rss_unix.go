//go:build unix

package main

import (
	"os"
	"syscall"
)

// maxRSS is the process's peak resident set in KiB (Linux's unit; macOS
// reports bytes, so its figures read 1024 times too large).
func maxRSS(ps *os.ProcessState) int64 {
	if ru, ok := ps.SysUsage().(*syscall.Rusage); ok {
		return int64(ru.Maxrss) // int32 on 32-bit ports
	}
	return 0
}
