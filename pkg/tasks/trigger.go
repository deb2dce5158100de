package tasks

import (
	"fmt"
	"math"
	"strconv"
	"strings"
)

// TriggerKind is the Windows trigger class a registration uses.
type TriggerKind string

const (
	TriggerPush        TriggerKind = "push"        // PushNotificationTrigger
	TriggerTimer       TriggerKind = "timer"       // TimeTrigger
	TriggerMaintenance TriggerKind = "maintenance" // MaintenanceTrigger
	TriggerSystem      TriggerKind = "system"      // SystemTrigger
	TriggerApplication TriggerKind = "application" // ApplicationTrigger
)

// MinFreshnessMinutes is the smallest freshnessTime TimeTrigger and
// MaintenanceTrigger accept; Register throws below it (windows-facts.md §3
// "Timer and maintenance triggers").
const MinFreshnessMinutes = 15

// Trigger is what a registration fires on. Its text form is the --trigger
// syntax: push, timer:MINUTES[:oneshot], maintenance:MINUTES[:oneshot],
// system:TYPE[:oneshot], application.
type Trigger struct {
	Kind TriggerKind
	// FreshnessMinutes is the timer/maintenance freshnessTime.
	FreshnessMinutes uint32
	// SystemType is what a system trigger fires on.
	SystemType SystemTriggerType
	// OneShot: the timer, maintenance or system trigger fires once.
	OneShot bool
}

// ParseTrigger reads the --trigger syntax. Kind names, SystemTriggerType
// names and "oneshot" are matched ignoring case; String gives the canonical
// spelling back.
func ParseTrigger(s string) (Trigger, error) {
	first, rest, hasArgs := strings.Cut(s, ":")
	kind := TriggerKind(strings.ToLower(first))
	var args []string
	if hasArgs {
		args = strings.Split(rest, ":")
	}
	bad := func(reason string, a ...any) (Trigger, error) {
		return Trigger{}, &InputError{Field: "trigger", Value: s, Reason: fmt.Sprintf(reason, a...)}
	}
	switch kind {
	case TriggerPush, TriggerApplication:
		if len(args) > 0 {
			return bad("%s takes no parameters", kind)
		}
		return Trigger{Kind: kind}, nil
	case TriggerTimer, TriggerMaintenance:
		if len(args) < 1 || len(args) > 2 {
			return bad("want %s:MINUTES or %s:MINUTES:oneshot", kind, kind)
		}
		minutes, err := strconv.ParseUint(args[0], 10, 32)
		if err != nil {
			return bad("MINUTES %q is not a whole number of minutes (0 to %d)", args[0], uint32(math.MaxUint32))
		}
		if minutes < MinFreshnessMinutes {
			// windows-facts.md §3: a freshnessTime under 15 minutes makes Register throw.
			return bad("a freshness of %d minutes is under the %d-minute minimum; Windows' %s throws at Register", minutes, MinFreshnessMinutes, Trigger{Kind: kind}.WindowsName())
		}
		oneShot, err := parseOneShot(args[1:])
		if err != nil {
			return bad("%v", err)
		}
		return Trigger{Kind: kind, FreshnessMinutes: uint32(minutes), OneShot: oneShot}, nil
	case TriggerSystem:
		if len(args) < 1 || len(args) > 2 {
			return bad("want system:TYPE or system:TYPE:oneshot, TYPE a SystemTriggerType name")
		}
		st, err := ParseSystemTriggerType(args[0])
		if err != nil {
			return bad("%v", err)
		}
		oneShot, err := parseOneShot(args[1:])
		if err != nil {
			return bad("%v", err)
		}
		return Trigger{Kind: kind, SystemType: st, OneShot: oneShot}, nil
	}
	return bad("unknown trigger; one of push, timer:MINUTES[:oneshot], maintenance:MINUTES[:oneshot], system:TYPE[:oneshot], application")
}

func parseOneShot(args []string) (bool, error) {
	if len(args) == 0 {
		return false, nil
	}
	if strings.EqualFold(args[0], "oneshot") {
		return true, nil
	}
	return false, fmt.Errorf("%q is not \"oneshot\"", args[0])
}

// String is the canonical --trigger text; ParseTrigger(t.String()) == t.
func (t Trigger) String() string {
	if (t.Kind == TriggerPush || t.Kind == TriggerApplication) && !t.OneShot {
		return string(t.Kind) // the common case, without building a string
	}
	var b strings.Builder
	b.WriteString(string(t.Kind))
	switch t.Kind {
	case TriggerTimer, TriggerMaintenance:
		fmt.Fprintf(&b, ":%d", t.FreshnessMinutes)
	case TriggerSystem:
		fmt.Fprintf(&b, ":%s", t.SystemType)
	}
	if t.OneShot {
		b.WriteString(":oneshot")
	}
	return b.String()
}

// WindowsName is the WinRT class the trigger simulates.
func (t Trigger) WindowsName() string {
	switch t.Kind {
	case TriggerPush:
		return "PushNotificationTrigger"
	case TriggerTimer:
		return "TimeTrigger"
	case TriggerMaintenance:
		return "MaintenanceTrigger"
	case TriggerSystem:
		return "SystemTrigger"
	case TriggerApplication:
		return "ApplicationTrigger"
	}
	return "unknown trigger"
}

// RequiredTaskType is the manifest <Task Type> an entry point must declare
// for Windows to register it with this trigger (windows-facts.md §3 "Trigger
// → Task Type"). application and maintenance → general is the documented
// example but marked not confirmed; see the package documentation for why
// bgtask enforces it.
func (t Trigger) RequiredTaskType() string {
	switch t.Kind {
	case TriggerPush:
		return "pushNotification"
	case TriggerTimer:
		return "timer"
	case TriggerSystem:
		return "systemEvent"
	case TriggerApplication, TriggerMaintenance:
		return "general"
	}
	return ""
}

// MarshalText writes the canonical --trigger text.
func (t Trigger) MarshalText() ([]byte, error) { return []byte(t.String()), nil }

// UnmarshalText reads the --trigger syntax.
func (t *Trigger) UnmarshalText(b []byte) error {
	parsed, err := ParseTrigger(string(b))
	if err != nil {
		return err
	}
	*t = parsed
	return nil
}
