package tasks

import (
	"testing"

	"github.com/bgtask/bgtask/pkg/manifest"
	"github.com/google/uuid"
)

// The errors a user reads, whole: what is wrong, where, and what to do.
func TestErrorMessagesExactly(t *testing.T) {
	id := uuid.MustParse("0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77")
	existing := Registration{TaskID: id, Name: "Push", EntryPoint: "Tasks.Push", Trigger: push,
		Conditions: []SystemConditionType{1, 3}, CancelOnConditionLoss: true, Plugin: "bin/task", PluginArgs: []string{"-v", "a b"}}
	for _, tc := range []struct {
		err  error
		want string
	}{
		{&InputError{Field: "name", Reason: "a registration needs a name"}, "name: a registration needs a name"},
		{&InputError{Field: "trigger", Value: "timer:5", Reason: "too short"}, `trigger "timer:5": too short`},
		{&NotFoundError{Name: "Pus", RegistryPath: "r.json", Registered: []string{"Push", "Timer"}}, `no registration named "Pus" (did you mean Push?) in r.json; registered: Push, Timer`},
		{&NotFoundError{Name: "C", RegistryPath: "r.json", Registered: []string{"A"}}, `no registration named "C" in r.json; registered: A`}, // a guess sharing nothing is no help
		{&NotFoundError{TaskID: id, RegistryPath: "r.json"}, "no registration with TaskId 0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77 in r.json: the registry is empty"},
		{&ConflictError{Existing: existing, Reason: "taken"}, "taken\n  registered: Push (TaskId 0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77): entry point Tasks.Push, trigger push, conditions UserPresent+InternetAvailable, cancel on condition loss, plugin bin/task \"-v\" \"a b\""},
		{&VersionError{Path: "r.json", Version: 7}, "r.json: registry format version 7 is newer than this bgtask understands (version 1); upgrade bgtask to use it. The file was left as it is"},
		{&CorruptError{Path: "r.json", Line: 3, Col: 4, Msg: "x"}, "r.json:3:4: corrupt registry: x" + corruptTail},
		{&CorruptError{Path: "r.json", Msg: "x"}, "r.json: corrupt registry: x" + corruptTail},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
	if s := (Registration{TaskID: id, Name: "E", EntryPoint: "T.E", Trigger: push, ExamplePlugin: true}).Summary(); s != "E (TaskId 0b0f5d8e-6c3a-4d8e-9a51-3c1f0e4a2b77): entry point T.E, trigger push, the built-in example plugin" {
		t.Errorf("summary %q", s)
	}
	for o, want := range map[Outcome]string{Registered: "registered", AlreadyRegistered: "already registered", Replaced: "replaced", 0: "unknown"} {
		if o.String() != want {
			t.Errorf("Outcome(%d) = %q, want %q", o, o, want)
		}
	}
}

// A mismatch with the manifest, as register prints it: the declared entry
// points with their types and lines (merged when repeated), and the command
// that fixes it, or the likely typo.
func TestMismatchMessagesExactly(t *testing.T) {
	m := Manifest{Path: "Package.appxmanifest", Declarations: []manifest.Declaration{
		decl("Tasks.Push", 10, "pushNotification"),
		decl("Tasks.Push", 20, "timer", "pushNotification"),
		{App: "App", StartPage: "js/task.js", Pos: manifest.Pos{Line: 30}, Tasks: []manifest.TaskDecl{{Type: "general"}}},
		{App: "App", Executable: "Host.exe", Pos: manifest.Pos{Line: 40}, Tasks: []manifest.TaskDecl{{Type: "general"}}},
	}}
	timer := Trigger{Kind: TriggerTimer, FreshnessMinutes: 15}
	system := Trigger{Kind: TriggerSystem, SystemType: 11}
	for _, tc := range []struct {
		ep      string
		trigger Trigger
		want    string
	}{
		{"Tasks.Push", push, ""},
		{"Tasks.Push", timer, ""},
		{"js/task.js", Trigger{Kind: TriggerApplication}, ""},
		{"Tasks.Push", system, "entry point Tasks.Push is declared in Package.appxmanifest for pushNotification, timer, but trigger system:TimeZoneChange (SystemTrigger) needs task type systemEvent" +
			"\n  to declare the type: bgtask manifest add --entry-point Tasks.Push --type systemEvent" +
			"\n  Windows 8.1 and later refuse such a registration at Register (see docs/registry.md)."},
		{"Tasks.Pus", push, "entry point Tasks.Pus is not declared in Package.appxmanifest; did you mean Tasks.Push?" +
			"\n  Package.appxmanifest declares:\n    Tasks.Push (pushNotification, timer) at line 10\n    js/task.js (general) at line 30" +
			"\n  Windows 8.1 and later refuse such a registration at Register (see docs/registry.md)."},
		{"Other.Thing", Trigger{Kind: TriggerMaintenance, FreshnessMinutes: 15}, "entry point Other.Thing is not declared in Package.appxmanifest" +
			"\n  Package.appxmanifest declares:\n    Tasks.Push (pushNotification, timer) at line 10\n    js/task.js (general) at line 30" +
			"\n  to declare it: bgtask manifest add --entry-point Other.Thing --type general" +
			"\n  Windows 8.1 and later refuse such a registration at Register (see docs/registry.md)."},
		// No command declares what is not a class name (new-user review: the
		// suggestion read "manifest add --entry-point bad name"); a suggested
		// value that a shell would split or expand is quoted.
		{"bad name", push, "entry point bad name is not declared in Package.appxmanifest" +
			"\n  Package.appxmanifest declares:\n    Tasks.Push (pushNotification, timer) at line 10\n    js/task.js (general) at line 30" +
			"\n  'bad name' is not a dotted identifier: an entry point is the task class's full name, Namespace.Class" +
			"\n  Windows 8.1 and later refuse such a registration at Register (see docs/registry.md)."},
		{"$safeprojectname$.Task", push, "entry point $safeprojectname$.Task is not declared in Package.appxmanifest" +
			"\n  Package.appxmanifest declares:\n    Tasks.Push (pushNotification, timer) at line 10\n    js/task.js (general) at line 30" +
			"\n  to declare it: bgtask manifest add --entry-point '$safeprojectname$.Task' --type pushNotification" +
			"\n  Windows 8.1 and later refuse such a registration at Register (see docs/registry.md)."},
	} {
		err := m.CheckEntryPoint(tc.ep, tc.trigger)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s %s:\n got %q\nwant %q", tc.ep, tc.trigger, got, tc.want)
		}
	}
	empty := Manifest{Path: "P.appxmanifest"}
	if err := empty.CheckEntryPoint("A.B", push); err == nil || err.Error() != "entry point A.B is not declared: P.appxmanifest declares no background tasks"+
		"\n  to declare it: bgtask manifest add --entry-point A.B --type pushNotification"+
		"\n  Windows 8.1 and later refuse such a registration at Register (see docs/registry.md)." {
		t.Errorf("nothing declared: %v", err)
	}
}

// A declaration without an entry point (Executable only) before the others
// does not hide them from the list of what the manifest declares.
func TestMismatchListsDeclarationsAfterOneWithoutEntryPoint(t *testing.T) {
	m := Manifest{Path: "P.appxmanifest", Declarations: []manifest.Declaration{
		{App: "App", Executable: "Host.exe", Pos: manifest.Pos{Line: 5}, Tasks: []manifest.TaskDecl{{Type: "general"}}},
		decl("Tasks.Push", 10, "pushNotification"),
	}}
	err := m.CheckEntryPoint("Completely.Else", push)
	want := "entry point Completely.Else is not declared in P.appxmanifest\n  P.appxmanifest declares:\n    Tasks.Push (pushNotification) at line 10" +
		"\n  to declare it: bgtask manifest add --entry-point Completely.Else --type pushNotification" +
		"\n  Windows 8.1 and later refuse such a registration at Register (see docs/registry.md)."
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}
