package tasks

import (
	"errors"
	"strings"
	"testing"
)

func TestParseTriggerRoundTrips(t *testing.T) {
	cases := map[string]Trigger{
		"push":                          {Kind: TriggerPush},
		"application":                   {Kind: TriggerApplication},
		"timer:15":                      {Kind: TriggerTimer, FreshnessMinutes: 15},
		"timer:60:oneshot":              {Kind: TriggerTimer, FreshnessMinutes: 60, OneShot: true},
		"maintenance:15":                {Kind: TriggerMaintenance, FreshnessMinutes: 15},
		"maintenance:4294967295":        {Kind: TriggerMaintenance, FreshnessMinutes: 4294967295},
		"system:InternetAvailable":      {Kind: TriggerSystem, SystemType: 6},
		"system:TimeZoneChange:oneshot": {Kind: TriggerSystem, SystemType: 11, OneShot: true},
	}
	for text, want := range cases {
		got, err := ParseTrigger(text)
		if err != nil {
			t.Errorf("ParseTrigger(%q): %v", text, err)
			continue
		}
		if got != want {
			t.Errorf("ParseTrigger(%q) = %+v, want %+v", text, got, want)
		}
		if got.String() != text {
			t.Errorf("ParseTrigger(%q).String() = %q", text, got.String())
		}
	}
}

func TestParseTriggerCanonicalizesCase(t *testing.T) {
	got, err := ParseTrigger("System:internetavailable:ONESHOT")
	if err != nil {
		t.Fatal(err)
	}
	if got.String() != "system:InternetAvailable:oneshot" {
		t.Errorf("canonical form = %q", got)
	}
}

// windows-facts.md §3 "Timer and maintenance triggers": a freshnessTime under
// 15 minutes makes Register throw, for TimeTrigger and MaintenanceTrigger.
func TestFreshnessUnder15MinutesRefused(t *testing.T) {
	for _, text := range []string{"timer:14", "timer:0", "maintenance:14:oneshot", "maintenance:1"} {
		_, err := ParseTrigger(text)
		if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "15-minute minimum") {
			t.Errorf("ParseTrigger(%q) = %v, want the 15-minute refusal", text, err)
		}
	}
}

func TestParseTriggerRefusesMalformed(t *testing.T) {
	for _, text := range []string{
		"", "pushy", "push:1", "application:oneshot", "timer", "timer:", "timer:abc",
		"timer:-15", "timer:+15", "timer:4294967296", "timer:15:twice", "timer:15:oneshot:x",
		"system", "system:Invalid", "system:NoSuchEvent", "system:0", "system:UserAway:x",
	} {
		if _, err := ParseTrigger(text); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("ParseTrigger(%q) = %v, want an invalid-input error", text, err)
		}
	}
}

// windows-facts.md §3 "Trigger → Task Type": push → pushNotification,
// timer → timer, system → systemEvent; application and maintenance →
// general (documented example, marked not confirmed; bgtask enforces it).
func TestRequiredTaskType(t *testing.T) {
	want := map[TriggerKind]string{
		TriggerPush:        "pushNotification",
		TriggerTimer:       "timer",
		TriggerSystem:      "systemEvent",
		TriggerApplication: "general",
		TriggerMaintenance: "general",
	}
	for kind, typ := range want {
		if got := (Trigger{Kind: kind}).RequiredTaskType(); got != typ {
			t.Errorf("%s needs %q, want %q", kind, got, typ)
		}
	}
}

// windows-facts.md §3 "Enumerations": SystemTriggerType and
// SystemConditionType values.
func TestEnumValues(t *testing.T) {
	triggers := map[string]SystemTriggerType{
		"SmsReceived": 1, "UserPresent": 2, "UserAway": 3, "NetworkStateChange": 4,
		"ControlChannelReset": 5, "InternetAvailable": 6, "SessionConnected": 7,
		"ServicingComplete": 8, "LockScreenApplicationAdded": 9,
		"LockScreenApplicationRemoved": 10, "TimeZoneChange": 11,
		"OnlineIdConnectedStateChange": 12, "BackgroundWorkCostChange": 13,
		"PowerStateChange": 14, "DefaultSignInAccountChange": 15,
	}
	for name, v := range triggers {
		got, err := ParseSystemTriggerType(name)
		if err != nil || got != v || got.String() != name {
			t.Errorf("SystemTriggerType %s = %d (%v), want %d", name, got, err, v)
		}
	}
	if n := len(SystemTriggerTypes()); n != len(triggers) {
		t.Errorf("%d SystemTriggerTypes, want %d", n, len(triggers))
	}
	conditions := map[string]SystemConditionType{
		"UserPresent": 1, "UserNotPresent": 2, "InternetAvailable": 3,
		"InternetNotAvailable": 4, "SessionConnected": 5, "SessionDisconnected": 6,
		"FreeNetworkAvailable": 7, "BackgroundWorkCostNotHigh": 8,
	}
	for name, v := range conditions {
		got, err := ParseSystemConditionType(name)
		if err != nil || got != v || got.String() != name {
			t.Errorf("SystemConditionType %s = %d (%v), want %d", name, got, err, v)
		}
	}
	if n := len(SystemConditionTypes()); n != len(conditions) {
		t.Errorf("%d SystemConditionTypes, want %d", n, len(conditions))
	}
	if _, err := ParseSystemConditionType("Invalid"); err == nil {
		t.Error("SystemConditionType Invalid was accepted")
	}
}

func TestParseConditions(t *testing.T) {
	got, err := ParseConditions([]string{"userpresent", "InternetAvailable", "UserPresent"})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 || got[0] != 1 || got[1] != 3 {
		t.Errorf("conditions = %v, want [UserPresent InternetAvailable] (sorted, once each)", got)
	}
	for _, bad := range [][]string{{"Nope"}, {"Invalid"}, {"UserPresent", "UserNotPresent"}, {"InternetAvailable", "internetnotavailable"}} {
		if _, err := ParseConditions(bad); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("ParseConditions(%q) = %v, want an invalid-input error", bad, err)
		}
	}
}
