//go:build windows

package simulate

import (
	"fmt"
	"os/exec"
	"syscall"
	"unsafe"

	"golang.org/x/sys/windows"
)

// processGroup is a Job Object holding the plugin and every process it
// starts; closing its last handle kills them all (KILL_ON_JOB_CLOSE).
type processGroup struct{ job windows.Handle }

// prepareGroup starts the plugin suspended: it runs no code until
// attachGroup has put it in its Job Object, so no child it starts can be
// created outside the job.
func prepareGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{
		CreationFlags: windows.CREATE_NEW_PROCESS_GROUP | windows.CREATE_SUSPENDED,
	}
}

// ntResumeProcess resumes every thread of a process; os/exec does not expose
// the main thread's handle that ResumeThread would need.
var ntResumeProcess = windows.NewLazySystemDLL("ntdll.dll").NewProc("NtResumeProcess")

// processSuspendResume is PROCESS_SUSPEND_RESUME, which x/sys lacks.
const processSuspendResume = 0x0800

// attachGroup puts the suspended plugin in a new Job Object, then lets it
// run. On error the plugin is still suspended and the caller must kill it.
func attachGroup(cmd *exec.Cmd) (*processGroup, error) {
	if err := ntResumeProcess.Find(); err != nil {
		return nil, fmt.Errorf("finding NtResumeProcess: %w", err)
	}
	proc, err := windows.OpenProcess(windows.PROCESS_SET_QUOTA|windows.PROCESS_TERMINATE|processSuspendResume,
		false, uint32(cmd.Process.Pid))
	if err != nil {
		return nil, fmt.Errorf("opening the plugin process: %w", err)
	}
	defer windows.CloseHandle(proc)
	group, err := newJob(proc)
	if err != nil {
		return nil, err
	}
	if status, _, _ := ntResumeProcess.Call(uintptr(proc)); status != 0 {
		group.close()
		return nil, fmt.Errorf("resuming the plugin process: NTSTATUS %#x", status)
	}
	return group, nil
}

// newJob creates a Job Object that kills its processes when its last handle
// closes, and assigns proc to it.
func newJob(proc windows.Handle) (*processGroup, error) {
	job, err := windows.CreateJobObject(nil, nil)
	if err != nil {
		return nil, fmt.Errorf("creating a job object for the plugin: %w", err)
	}
	info := windows.JOBOBJECT_EXTENDED_LIMIT_INFORMATION{
		BasicLimitInformation: windows.JOBOBJECT_BASIC_LIMIT_INFORMATION{
			LimitFlags: windows.JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE,
		},
	}
	if _, err := windows.SetInformationJobObject(job, windows.JobObjectExtendedLimitInformation,
		uintptr(unsafe.Pointer(&info)), uint32(unsafe.Sizeof(info))); err != nil {
		windows.CloseHandle(job)
		return nil, fmt.Errorf("setting the plugin's job object to kill on close: %w", err)
	}
	if err := windows.AssignProcessToJobObject(job, proc); err != nil {
		windows.CloseHandle(job)
		return nil, fmt.Errorf("assigning the plugin to its job object: %w", err)
	}
	return &processGroup{job: job}, nil
}

// jobAccounting is JOBOBJECT_BASIC_ACCOUNTING_INFORMATION, which x/sys lacks.
type jobAccounting struct {
	TotalUserTime             int64
	TotalKernelTime           int64
	ThisPeriodTotalUserTime   int64
	ThisPeriodTotalKernelTime int64
	TotalPageFaultCount       uint32
	TotalProcesses            uint32
	ActiveProcesses           uint32
	TotalTerminatedProcesses  uint32
}

// kill terminates every process in the job and reports whether it had any.
func (g *processGroup) kill() (bool, error) {
	var acct jobAccounting
	alive := true
	if err := windows.QueryInformationJobObject(g.job, windows.JobObjectBasicAccountingInformation,
		uintptr(unsafe.Pointer(&acct)), uint32(unsafe.Sizeof(acct)), nil); err == nil {
		alive = acct.ActiveProcesses > 0
	}
	if err := windows.TerminateJobObject(g.job, 1); err != nil {
		return alive, fmt.Errorf("terminating the plugin's job object: %w", err)
	}
	return alive, nil
}

func (g *processGroup) close() { windows.CloseHandle(g.job) }
