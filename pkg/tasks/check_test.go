package tasks

import (
	"testing"

	"github.com/bgtask/bgtask/pkg/manifest"
	"github.com/google/uuid"
)

func TestCheckReportsEachProblemKind(t *testing.T) {
	shared := uuid.New()
	reg := &Registry{Registrations: []Registration{
		{TaskID: uuid.New(), Name: "Good", EntryPoint: "Tasks.ExampleBackgroundTask", Trigger: push},
		{TaskID: uuid.New(), Name: "Typo", EntryPoint: "Task.ExampleBackgroundTask", Trigger: push},
		{TaskID: uuid.New(), Name: "Timer", EntryPoint: "Tasks.ExampleBackgroundTask", Trigger: Trigger{Kind: TriggerTimer, FreshnessMinutes: 15}},
		{TaskID: shared, Name: "Dup", EntryPoint: "Tasks.General", Trigger: Trigger{Kind: TriggerApplication}},
		{TaskID: shared, Name: "Dup", EntryPoint: "Tasks.General", Trigger: Trigger{Kind: TriggerApplication}},
	}}
	decls := []manifest.Declaration{
		decl("Tasks.ExampleBackgroundTask", 44, "pushNotification"),
		decl("Tasks.General", 50, "general"),
	}
	type key struct {
		code ProblemCode
		name string
	}
	want := map[key]bool{
		{ProblemEntryPointNotDeclared, "Typo"}:  true,
		{ProblemTaskTypeNotDeclared, "Timer"}:   true,
		{ProblemDuplicateName, "Dup"}:           true,
		{ProblemDuplicateTaskID, "Dup"}:         true,
		{ProblemApplicationTriggerTwice, "Dup"}: true,
	}
	problems := Check(reg, "Package.appxmanifest", decls)
	for _, p := range problems {
		k := key{p.Code, p.Name}
		if !want[k] {
			t.Errorf("unexpected problem %+v", p)
		}
		delete(want, k)
		if p.Message == "" {
			t.Errorf("problem %+v has no message", p)
		}
		if p.Code == ProblemEntryPointNotDeclared && p.Suggestion != "Tasks.ExampleBackgroundTask" {
			t.Errorf("suggestion = %q", p.Suggestion)
		}
	}
	for k := range want {
		t.Errorf("missing problem %s for %s", k.code, k.name)
	}
}

func TestCheckCleanRegistry(t *testing.T) {
	reg := &Registry{Registrations: []Registration{
		{TaskID: uuid.New(), Name: "Good", EntryPoint: "Tasks.ExampleBackgroundTask", Trigger: push},
	}}
	if p := Check(reg, "m", seedManifest.Declarations); len(p) != 0 {
		t.Errorf("problems on a clean registry: %+v", p)
	}
}

// windows-facts.md §7 "Entry point mismatch": activation needs the
// registered entry point declared with every trigger type it uses. Stranded
// finds the registrations a manifest edit breaks, and only those.
func TestStrandedNamesWhatAnEditBroke(t *testing.T) {
	timer := Trigger{Kind: TriggerTimer, FreshnessMinutes: 15}
	reg := &Registry{Path: "r.json", Registrations: []Registration{
		{TaskID: uuid.New(), Name: "Push", EntryPoint: "Tasks.Push", Trigger: push},
		{TaskID: uuid.New(), Name: "Sync", EntryPoint: "Tasks.Sync", Trigger: timer},
		{TaskID: uuid.New(), Name: "SyncPush", EntryPoint: "Tasks.Sync", Trigger: push},
		{TaskID: uuid.New(), Name: "Kept", EntryPoint: "Tasks.Kept", Trigger: push},
		{TaskID: uuid.New(), Name: "BrokenBefore", EntryPoint: "Tasks.Gone", Trigger: push},
	}}
	before := []manifest.Declaration{
		decl("Tasks.Push", 10, "pushNotification"),
		decl("Tasks.Sync", 20, "timer", "pushNotification"),
		decl("Tasks.Kept", 30, "pushNotification"),
	}
	after := []manifest.Declaration{
		decl("Tasks.Sync", 20, "pushNotification"),
		decl("Tasks.Kept", 30, "pushNotification"),
	}
	got := Stranded(reg, "m.xml", before, after)
	want := []Problem{
		{Code: ProblemEntryPointNotDeclared, Name: "Push", TaskID: reg.Registrations[0].TaskID,
			Message: `registration "Push" in r.json runs entry point Tasks.Push, which m.xml no longer declares`},
		{Code: ProblemTaskTypeNotDeclared, Name: "Sync", TaskID: reg.Registrations[1].TaskID, Index: 1,
			Message: `registration "Sync" in r.json has trigger timer:15 (TimeTrigger), which needs task type timer, no longer declared for Tasks.Sync in m.xml`},
	}
	if len(got) != len(want) {
		t.Fatalf("Stranded = %+v, want %+v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("problem %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	if got := Stranded(reg, "m.xml", before, before); len(got) != 0 {
		t.Errorf("an edit that changed nothing stranded %+v", got)
	}
}
