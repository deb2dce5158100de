package tasks

import (
	"slices"
	"strings"
	"testing"

	"github.com/google/uuid"
)

// Registrations sharing a name are ordered by their TaskIds as written in
// the file (the oracle: the text's order); comparing the bytes gives it
// without formatting both.
func TestCompareRegistrationsOrdersTaskIdsAsText(t *testing.T) {
	for range 2000 {
		a, b := Registration{Name: "N", TaskID: uuid.New()}, Registration{Name: "N", TaskID: uuid.New()}
		if got, want := compareRegistrations(a, b), strings.Compare(a.TaskID.String(), b.TaskID.String()); got != want {
			t.Fatalf("%s vs %s: %d, want %d", a.TaskID, b.TaskID, got, want)
		}
	}
	if compareRegistrations(Registration{Name: "A", TaskID: uuid.Max}, Registration{Name: "B"}) >= 0 {
		t.Error("names come before TaskIds")
	}
}

// A registration goes where a stable sort of the whole list would put it.
func TestInsertRegistrationKeepsTheOrder(t *testing.T) {
	names := []string{"b", "d", "d", "f"}
	var regs []Registration
	for _, n := range names {
		regs = append(regs, Registration{Name: n, TaskID: uuid.New()})
	}
	sortRegistrations(regs)
	for _, n := range []string{"a", "b", "c", "d", "e", "f", "g"} {
		r := Registration{Name: n, TaskID: uuid.New()}
		got := insertRegistration(slices.Clone(regs), r)
		want := append(slices.Clone(regs), r)
		slices.SortStableFunc(want, func(a, b Registration) int {
			if c := strings.Compare(a.Name, b.Name); c != 0 {
				return c
			}
			return strings.Compare(a.TaskID.String(), b.TaskID.String())
		})
		if !slices.EqualFunc(got, want, func(a, b Registration) bool { return a.Name == b.Name && a.TaskID == b.TaskID }) {
			t.Errorf("inserting %s: %v, want %v", n, got, want)
		}
	}
	// An identical registration goes after its twin, as a stable sort keeps it.
	twin := regs[1]
	twin.EntryPoint = "second"
	got := insertRegistration(slices.Clone(regs), twin)
	if got[1].EntryPoint != "" || got[2].EntryPoint != "second" {
		t.Errorf("twin inserted at the wrong place: %+v", got)
	}
}

// appendUUID writes what uuid's String writes.
func TestAppendUUIDIsString(t *testing.T) {
	for _, id := range []uuid.UUID{uuid.Nil, uuid.Max, uuid.New(), uuid.New(), uuid.MustParse("00ff00ff-0a0b-4c0d-8e0f-102030405060")} {
		if got := string(appendUUID([]byte("x"), id)); got != "x"+id.String() {
			t.Errorf("appendUUID: %s, want %s", got, id)
		}
	}
}

// faithful's shortcut for printable ASCII changes no verdict: every byte
// alone and inside a word is judged as the rune-by-rune check judges it.
func TestFaithfulASCIIShortcut(t *testing.T) {
	for b := range 0x80 {
		for _, v := range []string{string(rune(b)), "a" + string(rune(b)) + "z"} {
			err := faithful("name", v)
			wantRefused := b < 0x20 || b == 0x7f
			if (err != nil) != wantRefused {
				t.Errorf("faithful(%q) = %v, want refused %v", v, err, wantRefused)
			}
		}
	}
	for _, v := range []string{"a\u202eb", "a\u200bb", "\xff", "a\u2028"} {
		if faithful("name", v) == nil {
			t.Errorf("faithful(%q) accepted", v)
		}
	}
	if !printableASCII(" ~") || printableASCII("\x1f") || printableASCII("\x7f") || printableASCII("é") {
		t.Error("printableASCII is not U+0020-U+007E")
	}
}

// The common triggers' text is their kind; the others as before.
func TestTriggerStringShortcut(t *testing.T) {
	for _, tc := range []struct {
		t    Trigger
		want string
	}{
		{Trigger{Kind: TriggerPush}, "push"},
		{Trigger{Kind: TriggerApplication}, "application"},
		{Trigger{Kind: TriggerPush, OneShot: true}, "push:oneshot"},
		{Trigger{Kind: TriggerTimer, FreshnessMinutes: 15}, "timer:15"},
		{Trigger{Kind: TriggerSystem, SystemType: 1, OneShot: true}, "system:" + SystemTriggerType(1).String() + ":oneshot"},
	} {
		if got := tc.t.String(); got != tc.want {
			t.Errorf("%+v: %q, want %q", tc.t, got, tc.want)
		}
	}
	for _, s := range []string{"push:", "push:x", "application:oneshot"} {
		if _, err := ParseTrigger(s); err == nil || !strings.Contains(err.Error(), "takes no parameters") {
			t.Errorf("ParseTrigger(%q) = %v, want no parameters", s, err)
		}
	}
}
