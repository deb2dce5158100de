package lint

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"github.com/bgtask/bgtask/pkg/tasks"
)

const projectDir = "../../testdata/lint/_project"

// loadTestProject is the seed manifest with a registry holding one of each
// registry problem; plugins/served exists and (per the fake describe)
// serves only Tasks.Other, plugins/missing does not exist.
func loadTestProject(t *testing.T, describe func(string) ([]string, error)) *Project {
	t.Helper()
	regPath := filepath.Join(projectDir, "registry.json")
	data, err := os.ReadFile(regPath)
	if err != nil {
		t.Fatal(err)
	}
	reg, err := tasks.DecodeKeepingSharedTaskIDs(regPath, data)
	if err != nil {
		t.Fatal(err)
	}
	return &Project{
		ManifestPath: "Package.appxmanifest",
		RegistryPath: "registry.json",
		RegistryData: data,
		Registry:     reg,
		Describe:     describe,
	}
}

func fakeDescribe(calls *[]string) func(string) ([]string, error) {
	return func(path string) ([]string, error) {
		*calls = append(*calls, filepath.ToSlash(path))
		if strings.HasSuffix(filepath.ToSlash(path), "plugins/served") {
			return []string{"Tasks.Other"}, nil
		}
		return nil, errors.New("not a plugin")
	}
}

func TestRegistryCrossChecks(t *testing.T) {
	var calls []string
	l := New(WithProject(loadTestProject(t, fakeDescribe(&calls))))
	findings, err := l.LintFile("Package.appxmanifest", filepath.Join(projectDir, "Package.appxmanifest"))
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	if err := WriteText(&got, Report{Findings: findings}, TextStyle{}); err != nil {
		t.Fatal(err)
	}
	// Plugin paths in messages are resolved from the registry's folder.
	text := strings.ReplaceAll(got.String(), filepath.ToSlash(projectDir)+"/", "")
	text = strings.ReplaceAll(text, filepath.FromSlash(projectDir)+string(filepath.Separator), "")
	outPath := filepath.Join(projectDir, "want.out")
	if *update {
		if err := os.WriteFile(outPath, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(outPath)
	if err != nil {
		t.Fatal(err)
	}
	// Plugin paths are shown with the OS's separator; want.out has "/".
	if wantText := strings.ReplaceAll(string(want), "plugins/", filepath.FromSlash("plugins/")); text != wantText {
		t.Errorf("cross-check findings differ from %s\n--- want\n%s--- got\n%s", outPath, want, text)
	}
	for _, id := range []string{"BT015", "BT016", "BT017", "BT018", "BT019", "BT020", "BT021"} {
		if !strings.Contains(text, "["+id+"]") {
			t.Errorf("no %s finding", id)
		}
	}
}

// The registry belongs to one manifest: linting another file (another app
// in the same repository) must not cross-check it.
func TestRegistryCrossChecksOnlyOnTheProjectManifest(t *testing.T) {
	var calls []string
	l := New(WithProject(loadTestProject(t, fakeDescribe(&calls))))
	findings, err := l.LintFile("other/Package.appxmanifest", filepath.Join(projectDir, "Package.appxmanifest"))
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) != 0 || len(calls) != 0 {
		t.Errorf("cross-checked a manifest the registry does not belong to: %v (describe calls %v)", findings, calls)
	}
}

func TestRegistryPositionsPointAtTheRegistration(t *testing.T) {
	data := []byte("{\n  \"registrations\": [\n    {\"taskId\": \"11111111-1111-4111-8111-111111111111\"},\n    {\"taskId\": \"11111111-1111-4111-8111-111111111111\"}\n  ]\n}\n")
	id := uuid.MustParse("11111111-1111-4111-8111-111111111111")
	if got := registrationPos(data, id, 0); got.Line != 3 || got.Col != 16 {
		t.Errorf("first copy at %d:%d, want 3:16", got.Line, got.Col)
	}
	if got := registrationPos(data, id, 1); got.Line != 4 {
		t.Errorf("second copy at line %d, want 4", got.Line)
	}
	if got := registrationPos(data, id, 2); got.Line != 1 || got.Col != 1 {
		t.Errorf("missing copy at %d:%d, want 1:1", got.Line, got.Col)
	}
}

// Registrations sharing a TaskId (BT018) each get their own findings at
// their own line, with their own fix, whichever comes first in the file
// and by name: a lookup by TaskId gave the first copy's line and data to
// every copy (hostile review).
func TestSharedTaskIDFindingsPointAtTheirOwnRegistration(t *testing.T) {
	const id = "22222222-2222-4222-8222-222222222222"
	entry := func(name, ep, trigger string) string {
		return `    {"taskId": "` + id + `", "name": "` + name + `", "entryPoint": "` + ep + `", "trigger": "` + trigger +
			`", "conditions": [], "cancelOnConditionLoss": false, "plugin": "", "examplePlugin": true, "registered": "2026-12-02T16:02:54Z"}`
	}
	manifestData := []byte(`<?xml version="1.0"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"><Applications><Application Id="App"><Extensions><Extension Category="windows.backgroundTasks" EntryPoint="A.B"><BackgroundTasks><Task Type="timer"/></BackgroundTasks></Extension></Extensions></Application></Applications></Package>
`)
	for _, order := range [][2]string{{"First", "Second"}, {"Second", "First"}} {
		lines := map[string]string{
			"First":  entry("First", "A.B", "timer:30"),
			"Second": entry("Second", "Zzz.Qqq", "push"),
		}
		data := []byte("{\n  \"version\": 1,\n  \"registrations\": [\n" + lines[order[0]] + ",\n" + lines[order[1]] + "\n  ]\n}\n")
		reg, err := tasks.DecodeKeepingSharedTaskIDs("registry.json", data)
		if err != nil {
			t.Fatal(err)
		}
		secondLine := 4 // the line of Second's entry, counted by hand
		if order[0] == "First" {
			secondLine = 5
		}
		p := &Project{ManifestPath: "Package.appxmanifest", RegistryPath: "registry.json", RegistryData: data, Registry: reg}
		var bt015 []Finding
		for _, f := range New(WithProject(p)).Lint(Source{Path: "Package.appxmanifest", Data: manifestData}) {
			if f.RuleID == "BT015" {
				bt015 = append(bt015, f)
			}
		}
		if len(bt015) != 1 {
			t.Fatalf("%v: BT015 findings %+v, want one", order, bt015)
		}
		f := bt015[0]
		if f.Line != secondLine || !strings.Contains(f.Message, `registration "Second"`) ||
			!strings.Contains(f.Message, "bgtask manifest add --entry-point Zzz.Qqq --type pushNotification") {
			t.Errorf("%v: BT015 at line %d: %s; want line %d with Second's own fix", order, f.Line, f.Message, secondLine)
		}
	}
}
