//go:build windows

package simulate

import (
	"errors"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// cpuTime is the CPU time the plugin's Job Object has used so far: the
// plugin and every process it started, as Windows accounts a background
// task's host.
func (pr *process) cpuTime() (time.Duration, error) {
	if pr.group == nil {
		return 0, errors.New("the plugin has no job object")
	}
	var info jobAccounting
	if err := windows.QueryInformationJobObject(pr.group.job, windows.JobObjectBasicAccountingInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)), nil); err != nil {
		return 0, err
	}
	// Both are in 100-nanosecond units.
	return time.Duration(info.TotalUserTime+info.TotalKernelTime) * 100, nil
}
