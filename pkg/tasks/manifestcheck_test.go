package tasks

import (
	"errors"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// decl builds the manifest.Declaration a parsed manifest would give for
// <Extension Category="windows.backgroundTasks" EntryPoint=entryPoint> with
// one <Task Type> per type.
func decl(entryPoint string, line int, types ...string) manifest.Declaration {
	d := manifest.Declaration{App: "App", EntryPoint: entryPoint, Pos: manifest.Pos{Line: line, Col: 9}}
	for _, t := range types {
		d.Tasks = append(d.Tasks, manifest.TaskDecl{Type: t, Namespace: manifest.NSFoundation})
	}
	return d
}

// The seed manifest: Tasks.ExampleBackgroundTask declared for pushNotification.
var seedManifest = Manifest{
	Path:         "Package.appxmanifest",
	Declarations: []manifest.Declaration{decl("Tasks.ExampleBackgroundTask", 44, "pushNotification")},
}

var push = Trigger{Kind: TriggerPush}

// windows-facts.md §7 "Entry point mismatch", and §3 "Register()": an
// undeclared entry point makes Register throw (8.1+). The seed registers
// Task.ExampleBackgroundTask for a class in namespace Tasks.
func TestCheckEntryPointSeedMismatchSuggests(t *testing.T) {
	err := seedManifest.CheckEntryPoint("Task.ExampleBackgroundTask", push)
	var mm *MismatchError
	if !errors.As(err, &mm) || !errors.Is(err, ErrInvalidInput) {
		t.Fatalf("err = %v, want a *MismatchError", err)
	}
	msg := err.Error()
	for _, want := range []string{
		"did you mean Tasks.ExampleBackgroundTask?",
		"Tasks.ExampleBackgroundTask (pushNotification) at line 44",
	} {
		if !strings.Contains(msg, want) {
			t.Errorf("message lacks %q:\n%s", want, msg)
		}
	}
	if err := seedManifest.CheckEntryPoint("Tasks.ExampleBackgroundTask", push); err != nil {
		t.Errorf("the declared entry point was refused: %v", err)
	}
}

// windows-facts.md §3 "Trigger → Task Type": every trigger type used must be
// declared; TimeTrigger needs timer.
func TestCheckEntryPointNeedsTaskType(t *testing.T) {
	err := seedManifest.CheckEntryPoint("Tasks.ExampleBackgroundTask", Trigger{Kind: TriggerTimer, FreshnessMinutes: 15})
	var mm *MismatchError
	if !errors.As(err, &mm) {
		t.Fatalf("err = %v, want a *MismatchError", err)
	}
	if mm.NeededType != "timer" || len(mm.DeclaredTypes) != 1 || mm.DeclaredTypes[0] != "pushNotification" {
		t.Errorf("mismatch = %+v", mm)
	}
	if !strings.Contains(err.Error(), "to declare the type: bgtask manifest add --entry-point Tasks.ExampleBackgroundTask --type timer") {
		t.Errorf("message does not say how to declare the type:\n%s", err)
	}
}

func TestCheckEntryPointAcrossDeclarations(t *testing.T) {
	m := Manifest{Path: "m", Declarations: []manifest.Declaration{
		decl("Tasks.A", 10, "pushNotification"),
		decl("Tasks.A", 20, "timer", "general"),
	}}
	for _, tr := range []Trigger{push, {Kind: TriggerTimer, FreshnessMinutes: 30}, {Kind: TriggerApplication}, {Kind: TriggerMaintenance, FreshnessMinutes: 15}} {
		if err := m.CheckEntryPoint("Tasks.A", tr); err != nil {
			t.Errorf("trigger %s refused: %v", tr, err)
		}
	}
	if err := m.CheckEntryPoint("Tasks.A", Trigger{Kind: TriggerSystem, SystemType: 6}); err == nil {
		t.Error("system trigger accepted without a systemEvent declaration")
	}
}

func TestCheckEntryPointJavaScriptStartPage(t *testing.T) {
	js := manifest.Declaration{App: "App", StartPage: `js\backgroundtask.js`, Tasks: []manifest.TaskDecl{{Type: "pushNotification"}}}
	m := Manifest{Path: "m", Declarations: []manifest.Declaration{js}}
	if err := m.CheckEntryPoint(`js\backgroundtask.js`, push); err != nil {
		t.Errorf("a JavaScript task's start page was refused: %v", err)
	}
}

func TestCheckEntryPointNothingDeclared(t *testing.T) {
	err := Manifest{Path: "Package.appxmanifest"}.CheckEntryPoint("Tasks.X", push)
	if err == nil || !strings.Contains(err.Error(), "declares no background tasks") {
		t.Errorf("err = %v", err)
	}
}

func TestNearest(t *testing.T) {
	declared := []string{"Tasks.ExampleBackgroundTask", "Tasks.SyncTask", "Other.Thing"}
	cases := map[string]string{
		"Task.ExampleBackgroundTask":  "Tasks.ExampleBackgroundTask",
		"tasks.examplebackgroundtask": "Tasks.ExampleBackgroundTask",
		"MyApp.ExampleBackgroundTask": "Tasks.ExampleBackgroundTask", // same class, other namespace
		"Tasks.SyncTsk":               "Tasks.SyncTask",
		"Completely.Unrelated":        "",
	}
	for typed, want := range cases {
		if got := nearest(typed, declared); got != want {
			t.Errorf("nearest(%q) = %q, want %q", typed, got, want)
		}
	}
	if d := editDistance("kitten", "sitting"); d != 3 {
		t.Errorf("editDistance(kitten, sitting) = %d, want 3", d)
	}
}

// manifest add refuses to guess the application of a manifest with several
// (pkg/manifest), so a fix suggested for one must name it.
func TestMismatchSuggestionNamesTheApplication(t *testing.T) {
	companion := decl("Companion.Tasks.Sync", 19, "timer")
	companion.App = "Companion"
	two := Manifest{Path: "m", Declarations: []manifest.Declaration{companion}, AppIDs: []string{"Main", "Companion"}}
	one := Manifest{Path: "m", Declarations: []manifest.Declaration{companion}, AppIDs: []string{"Companion"}}
	for _, tc := range []struct {
		name       string
		m          Manifest
		entryPoint string
		want       string
	}{
		{"undeclared, two apps", two, "Tasks.A",
			"to declare it: bgtask manifest add --entry-point Tasks.A --type pushNotification --app ID (ID: the Application to declare it in, one of Main, Companion)"},
		{"type missing, two apps", two, "Companion.Tasks.Sync",
			"to declare the type: bgtask manifest add --entry-point Companion.Tasks.Sync --type pushNotification --app Companion\n"},
		{"undeclared, one app", one, "Tasks.A",
			"to declare it: bgtask manifest add --entry-point Tasks.A --type pushNotification\n"},
		{"type missing, one app", one, "Companion.Tasks.Sync",
			"to declare the type: bgtask manifest add --entry-point Companion.Tasks.Sync --type pushNotification\n"},
	} {
		err := tc.m.CheckEntryPoint(tc.entryPoint, push)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v\nwant it to contain %q", tc.name, err, tc.want)
		}
	}
}
