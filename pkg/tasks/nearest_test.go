package tasks

import (
	"strings"
	"testing"

	"github.com/bgtask/bgtask/pkg/manifest"
	"github.com/google/uuid"
)

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"", "abc", 3}, {"abc", "", 3}, {"abc", "abc", 0},
		{"kitten", "sitting", 3}, {"flaw", "lawn", 2}, {"ab", "ba", 2}, {"a", "b", 1},
		{"Tasks.Push", "Task.Push", 1}, {"intention", "execution", 5},
	} {
		if got := editDistance(tc.a, tc.b); got != tc.want {
			t.Errorf("editDistance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

// The "did you mean" suggestion: the nearest candidate, the first of equals,
// within max(2, len/3) edits, or the same class in another namespace.
func TestNearestRanking(t *testing.T) {
	for _, tc := range []struct {
		typed      string
		candidates []string
		want       string
	}{
		{"Tasks.Push", []string{"Tasks.Push"}, ""},
		{"Tasks.Push", []string{"Tasks.Push", "Tasks.Pusx"}, "Tasks.Pusx"},                                     // itself is no suggestion
		{"Tasks.Push", []string{"Tasks.Pxxh", "Tasks.Pusx"}, "Tasks.Pusx"},                                     // a later, nearer one wins
		{"Tasks.Push", []string{"Tasks.Pusx", "Tasks.Pusy"}, "Tasks.Pusx"},                                     // the first of equals
		{"Tasks.Push", []string{"Tasks.Pusx", "Other.Push"}, "Other.Push"},                                     // the same class beats one edit
		{"Tasks.Push", []string{"Other.Push", "Third.Push"}, "Other.Push"},                                     // the first of two same classes
		{"tasks.push", []string{"Tasks.Pushy", "Tasks.Push"}, "Tasks.Push"},                                    // case costs nothing
		{"Abcdefghi.X", []string{"Abcdefxxx.X"}, "Abcdefxxx.X"},                                                // 3 edits, but the same class
		{"Abcdefghij.K", []string{"Abcdefwxyz.L"}, ""},                                                         // 5 edits > 12/3
		{"Abcdefghij.K", []string{"Abcdefgxyz.L"}, "Abcdefgxyz.L"},                                             // 4 edits = 12/3
		{"A.B", []string{"X.Y"}, "X.Y"},                                                                        // 2 edits: the floor for short names
		{"A.B", []string{"XY.Z"}, ""},                                                                          // 3 edits
		{".Push", []string{"Tasks.Push"}, "Tasks.Push"},                                                        // an empty namespace still names the class
		{"Tasks.Push", []string{".Push"}, ".Push"},                                                             // either side
		{"A.", []string{"Bcdef."}, ""},                                                                         // no class to share
		{"Push", []string{"Tasks.Push"}, ""},                                                                   // no namespace: plain edits (6)
		{"Task.ExampleBackgroundTask", nil, ""},                                                                // nothing declared
		{"Task.ExampleBackgroundTask", []string{"Tasks.ExampleBackgroundTask"}, "Tasks.ExampleBackgroundTask"}, // the seed's mistake
	} {
		if got := nearest(tc.typed, tc.candidates); got != tc.want {
			t.Errorf("nearest(%q, %q) = %q, want %q", tc.typed, tc.candidates, got, tc.want)
		}
	}
}

// Check's messages, exactly: a name registered three times is reported at
// its second and third copy with its count so far, a second and third
// ApplicationTrigger name the first, and problems come in registry order.
func TestCheckMessages(t *testing.T) {
	id := func(n byte) uuid.UUID { return uuid.UUID{15: n} }
	app := Trigger{Kind: TriggerApplication}
	reg := &Registry{Registrations: []Registration{
		{TaskID: id(1), Name: "Dup", EntryPoint: "Tasks.Push", Trigger: push},
		{TaskID: id(2), Name: "Dup", EntryPoint: "Tasks.Push", Trigger: push},
		{TaskID: id(2), Name: "Dup", EntryPoint: "Tasks.Push", Trigger: push},
		{TaskID: id(3), Name: "First", EntryPoint: "Tasks.General", Trigger: app},
		{TaskID: id(4), Name: "Second", EntryPoint: "Tasks.General", Trigger: app},
		{TaskID: id(5), Name: "Third", EntryPoint: "Tasks.General", Trigger: app},
		{TaskID: id(6), Name: "Typo", EntryPoint: "Tasks.Pushh", Trigger: push},
		{TaskID: id(7), Name: "Timer", EntryPoint: "Tasks.Push", Trigger: Trigger{Kind: TriggerTimer, FreshnessMinutes: 15}},
	}}
	decls := []manifest.Declaration{
		decl("Tasks.Push", 10, "pushNotification"),
		decl("Tasks.General", 20, "general"),
	}
	var got []string
	for _, p := range Check(reg, "Package.appxmanifest", decls) {
		got = append(got, string(p.Code)+" "+p.Name+" "+p.TaskID.String()[34:]+" ["+p.Suggestion+"] "+p.Message)
	}
	want := []string{
		`duplicate-name Dup 02 [] registration "Dup" is registered 2 times; on Windows each copy runs on every trigger; unregister the extras with bgtask unregister --id`,
		`duplicate-name Dup 02 [] registration "Dup" is registered 3 times; on Windows each copy runs on every trigger; unregister the extras with bgtask unregister --id`,
		`duplicate-task-id Dup 02 [] registration "Dup" has TaskId 00000000-0000-0000-0000-000000000002, already used by another registration`,
		`application-trigger-twice Second 04 [] registration "Second" is a second ApplicationTrigger task ("First" is the first); Windows allows one per app`,
		`application-trigger-twice Third 05 [] registration "Third" is a second ApplicationTrigger task ("First" is the first); Windows allows one per app`,
		`entry-point-not-declared Typo 06 [Tasks.Push] registration "Typo": entry point Tasks.Pushh is not declared in Package.appxmanifest; did you mean Tasks.Push?`,
		`task-type-not-declared Timer 07 [] registration "Timer": entry point Tasks.Push is declared in Package.appxmanifest for pushNotification, but trigger timer:15 (TimeTrigger) needs task type timer`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
