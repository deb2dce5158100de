//go:build windows

package simulate

import (
	"errors"
	"time"
	"unsafe"

	"golang.org/x/sys/windows"
)

// jobBasicAccounting is JOBOBJECT_BASIC_ACCOUNTING_INFORMATION, which x/sys
// lacks.
type jobBasicAccounting struct {
	TotalUserTime             int64
	TotalKernelTime           int64
	ThisPeriodTotalUserTime   int64
	ThisPeriodTotalKernelTime int64
	TotalPageFaultCount       uint32
	TotalProcesses            uint32
	ActiveProcesses           uint32
	TotalTerminatedProcesses  uint32
}

// jobObjectBasicAccountingInformation is the information class of it.
const jobObjectBasicAccountingInformation = 1

// cpuTime is the CPU time the plugin's Job Object has used so far: the
// plugin and every process it started, as Windows accounts a background
// task's host.
func (pr *process) cpuTime() (time.Duration, error) {
	if pr.group == nil {
		return 0, errors.New("the plugin has no job object")
	}
	var info jobBasicAccounting
	if err := windows.QueryInformationJobObject(pr.group.job, jobObjectBasicAccountingInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info)), nil); err != nil {
		return 0, err
	}
	// Both are in 100-nanosecond units.
	return time.Duration(info.TotalUserTime+info.TotalKernelTime) * 100, nil
}
