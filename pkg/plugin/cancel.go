package plugin

import "fmt"

// CancelReason is Windows' BackgroundTaskCancellationReason, with the same
// numeric values (windows-facts.md §4).
type CancelReason uint32

const (
	CancelAbort                 CancelReason = 0
	CancelTerminating           CancelReason = 1
	CancelLoggingOff            CancelReason = 2
	CancelServicingUpdate       CancelReason = 3
	CancelIdleTask              CancelReason = 4
	CancelUninstall             CancelReason = 5
	CancelConditionLoss         CancelReason = 6
	CancelSystemPolicy          CancelReason = 7
	CancelQuietHoursEntered     CancelReason = 8 // not used since Windows 10
	CancelExecutionTimeExceeded CancelReason = 9
	CancelResourceRevocation    CancelReason = 10
	CancelEnergySaver           CancelReason = 11
)

var cancelReasonNames = [...]string{
	CancelAbort:                 "Abort",
	CancelTerminating:           "Terminating",
	CancelLoggingOff:            "LoggingOff",
	CancelServicingUpdate:       "ServicingUpdate",
	CancelIdleTask:              "IdleTask",
	CancelUninstall:             "Uninstall",
	CancelConditionLoss:         "ConditionLoss",
	CancelSystemPolicy:          "SystemPolicy",
	CancelQuietHoursEntered:     "QuietHoursEntered",
	CancelExecutionTimeExceeded: "ExecutionTimeExceeded",
	CancelResourceRevocation:    "ResourceRevocation",
	CancelEnergySaver:           "EnergySaver",
}

// String is the Windows name, as sent on the wire.
func (r CancelReason) String() string {
	if int(r) < len(cancelReasonNames) {
		return cancelReasonNames[r]
	}
	return fmt.Sprintf("CancelReason(%d)", uint32(r))
}

// ParseCancelReason maps a Windows name to its value. Unknown names report
// false; the protocol says to treat them as Abort.
func ParseCancelReason(name string) (CancelReason, bool) {
	for r, n := range cancelReasonNames {
		if n == name {
			return CancelReason(r), true
		}
	}
	return CancelAbort, false
}
