package simulate

import (
	"fmt"
	"strings"
	"time"
)

// Policy names: the Windows versions whose background-task limits a
// delivery can be held to.
const (
	PolicyWindows10 = "windows10"
	PolicyWindows81 = "windows81"
)

// lockScreenCPUQuota is the Windows 8/8.1 quota of a lock-screen app's
// background tasks: 2 CPU-seconds (every 15 minutes). It comes from
// secondary sources only, and Windows documents no cancellation reason for
// it; bgtask cancels with SystemPolicy (docs/push.md "Policies").
const lockScreenCPUQuota = 2 * time.Second

// PolicyNames lists the named policies, the default first.
func PolicyNames() []string { return []string{PolicyWindows10, PolicyWindows81} }

// NamedPolicy returns the host policy of a Windows version:
//   - windows10: 30 s of wall-clock time, then cancel with
//     ExecutionTimeExceeded and 5 s of grace (windows-facts.md §4);
//   - windows81: the same, plus the lock-screen app CPU quota of 2 s,
//     then cancel with SystemPolicy.
func NamedPolicy(name string) (Policy, error) {
	switch name {
	case PolicyWindows10:
		return Policy{Timeout: DefaultTimeout, Grace: DefaultGrace}, nil
	case PolicyWindows81:
		return Policy{Timeout: DefaultTimeout, Grace: DefaultGrace, CPUQuota: lockScreenCPUQuota}, nil
	}
	return Policy{}, fmt.Errorf("unknown policy %q: one of %s", name, strings.Join(PolicyNames(), ", "))
}
