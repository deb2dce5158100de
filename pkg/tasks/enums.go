package tasks

import (
	"fmt"
	"strings"
)

// SystemTriggerType is Windows.ApplicationModel.Background.SystemTriggerType,
// with Windows' numeric values (windows-facts.md §3 "Enumerations").
type SystemTriggerType int

// SystemConditionType is Windows.ApplicationModel.Background.SystemConditionType,
// with Windows' numeric values (windows-facts.md §3 "Enumerations").
type SystemConditionType int

// systemTriggerNames is indexed by value; 0 is Invalid, which no
// registration may use.
var systemTriggerNames = [...]string{
	"Invalid", "SmsReceived", "UserPresent", "UserAway", "NetworkStateChange",
	"ControlChannelReset", "InternetAvailable", "SessionConnected",
	"ServicingComplete", "LockScreenApplicationAdded",
	"LockScreenApplicationRemoved", "TimeZoneChange",
	"OnlineIdConnectedStateChange", "BackgroundWorkCostChange",
	"PowerStateChange", "DefaultSignInAccountChange",
}

var systemConditionNames = [...]string{
	"Invalid", "UserPresent", "UserNotPresent", "InternetAvailable",
	"InternetNotAvailable", "SessionConnected", "SessionDisconnected",
	"FreeNetworkAvailable", "BackgroundWorkCostNotHigh",
}

// SystemTriggerTypes returns every valid SystemTriggerType (Invalid excluded)
// in numeric order.
func SystemTriggerTypes() []SystemTriggerType {
	all := make([]SystemTriggerType, 0, len(systemTriggerNames)-1)
	for v := 1; v < len(systemTriggerNames); v++ {
		all = append(all, SystemTriggerType(v))
	}
	return all
}

// SystemConditionTypes returns every valid SystemConditionType (Invalid
// excluded) in numeric order.
func SystemConditionTypes() []SystemConditionType {
	all := make([]SystemConditionType, 0, len(systemConditionNames)-1)
	for v := 1; v < len(systemConditionNames); v++ {
		all = append(all, SystemConditionType(v))
	}
	return all
}

func (t SystemTriggerType) String() string { return enumName(systemTriggerNames[:], int(t)) }

func (c SystemConditionType) String() string { return enumName(systemConditionNames[:], int(c)) }

// Valid reports whether t is a SystemTriggerType a task may be registered for.
func (t SystemTriggerType) Valid() bool { return t > 0 && int(t) < len(systemTriggerNames) }

// Valid reports whether c is a SystemConditionType a task may be registered with.
func (c SystemConditionType) Valid() bool { return c > 0 && int(c) < len(systemConditionNames) }

// ParseSystemTriggerType reads a SystemTriggerType name, ignoring case.
func ParseSystemTriggerType(name string) (SystemTriggerType, error) {
	v, ok := lookupEnum(systemTriggerNames[:], name)
	if !ok {
		return 0, fmt.Errorf("unknown SystemTriggerType %q; one of %s", name, strings.Join(systemTriggerNames[1:], ", "))
	}
	return SystemTriggerType(v), nil
}

// ParseSystemConditionType reads a SystemConditionType name, ignoring case.
func ParseSystemConditionType(name string) (SystemConditionType, error) {
	v, ok := lookupEnum(systemConditionNames[:], name)
	if !ok {
		return 0, fmt.Errorf("unknown SystemConditionType %q; one of %s", name, strings.Join(systemConditionNames[1:], ", "))
	}
	return SystemConditionType(v), nil
}

func enumName(names []string, v int) string {
	if v < 0 || v >= len(names) {
		return fmt.Sprintf("%d", v)
	}
	return names[v]
}

// lookupEnum finds name among names[1:]: index 0 is always Invalid, which is
// never accepted.
func lookupEnum(names []string, name string) (int, bool) {
	for v := 1; v < len(names); v++ {
		if strings.EqualFold(names[v], name) {
			return v, true
		}
	}
	return 0, false
}
