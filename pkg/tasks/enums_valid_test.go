package tasks

import (
	"errors"
	"testing"
)

// Valid accepts exactly Windows' values, Invalid (0) and anything past the
// last one refused; String spells an unknown value as its number.
func TestEnumValidity(t *testing.T) {
	for _, tc := range []struct {
		v     SystemTriggerType
		valid bool
		name  string
	}{
		{-1, false, "-1"}, {0, false, "Invalid"}, {1, true, "SmsReceived"},
		{15, true, "DefaultSignInAccountChange"}, {16, false, "16"},
	} {
		if tc.v.Valid() != tc.valid || tc.v.String() != tc.name {
			t.Errorf("SystemTriggerType(%d): Valid %v, String %q; want %v, %q", tc.v, tc.v.Valid(), tc.v, tc.valid, tc.name)
		}
	}
	for _, tc := range []struct {
		v     SystemConditionType
		valid bool
		name  string
	}{
		{-1, false, "-1"}, {0, false, "Invalid"}, {1, true, "UserPresent"},
		{8, true, "BackgroundWorkCostNotHigh"}, {9, false, "9"},
	} {
		if tc.v.Valid() != tc.valid || tc.v.String() != tc.name {
			t.Errorf("SystemConditionType(%d): Valid %v, String %q; want %v, %q", tc.v, tc.v.Valid(), tc.v, tc.valid, tc.name)
		}
	}
	if first, last := SystemTriggerTypes()[0], SystemTriggerTypes()[14]; first != 1 || last != 15 {
		t.Errorf("SystemTriggerTypes runs %d..%d, want 1..15", first, last)
	}
	if first, last := SystemConditionTypes()[0], SystemConditionTypes()[7]; first != 1 || last != 8 {
		t.Errorf("SystemConditionTypes runs %d..%d, want 1..8", first, last)
	}
	if _, err := ParseSystemTriggerType("Invalid"); err == nil {
		t.Error("SystemTriggerType Invalid was accepted")
	}
}

// A condition given by value (as callers of Register do) is checked too:
// out of range is refused with its number, duplicates collapse, and the
// order is Windows' numeric order.
func TestCanonicalConditionsByValue(t *testing.T) {
	for _, bad := range [][]SystemConditionType{{9}, {0}, {1, 9}, {-1}} {
		_, err := canonicalConditions(bad)
		var ie *InputError
		if !errors.As(err, &ie) || ie.Field != "condition" || ie.Reason != "not a SystemConditionType a task can be registered with" {
			t.Errorf("canonicalConditions(%v) = %v", bad, err)
		}
	}
	got, err := canonicalConditions([]SystemConditionType{8, 1, 8, 3})
	if err != nil || len(got) != 3 || got[0] != 1 || got[1] != 3 || got[2] != 8 {
		t.Errorf("canonicalConditions = %v, %v; want [1 3 8]", got, err)
	}
	if got, err := canonicalConditions(nil); got != nil || err != nil {
		t.Errorf("no conditions: %v, %v", got, err)
	}
	_, err = canonicalConditions([]SystemConditionType{6, 5})
	var ie *InputError
	if !errors.As(err, &ie) || ie.Value != "SessionConnected+SessionDisconnected" {
		t.Errorf("contradiction: %v", err)
	}
}
