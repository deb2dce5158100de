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
