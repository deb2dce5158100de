package tasks

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/google/uuid"
)

func registryIn(t *testing.T) string {
	t.Helper()
	return filepath.Join(t.TempDir(), ".bgtask", "registry.json")
}

func seedRequest() Request {
	return Request{Name: "RawPush", EntryPoint: "Tasks.ExampleBackgroundTask", Trigger: push}
}

func mustRegister(t *testing.T, path string, req Request, opts RegisterOptions) RegisterResult {
	t.Helper()
	res, err := Register(context.Background(), path, req, opts)
	if err != nil {
		t.Fatalf("Register(%+v): %v", req, err)
	}
	return res
}

func TestLoadMissingIsEmptyAndCreatesNothing(t *testing.T) {
	path := registryIn(t)
	reg, err := Load(path)
	if err != nil || len(reg.Registrations) != 0 {
		t.Fatalf("Load = %+v, %v; want an empty registry", reg, err)
	}
	if _, err := os.Stat(filepath.Dir(path)); !os.IsNotExist(err) {
		t.Errorf("Load created %s", filepath.Dir(path))
	}
}

// windows-facts.md §3 "Duplicates": Windows accepts a name twice and the
// task then runs once per registration; the docs say to check AllTasks
// first. bgtask makes that check impossible to forget.
func TestRegisterSameNameRules(t *testing.T) {
	ctx := context.Background()
	path := registryIn(t)
	opts := RegisterOptions{Manifest: &seedManifest}

	first := mustRegister(t, path, seedRequest(), opts)
	if first.Outcome != Registered || first.Registration.TaskID == uuid.Nil {
		t.Fatalf("first = %+v", first)
	}
	before, _ := os.ReadFile(path)

	again := mustRegister(t, path, seedRequest(), opts)
	if again.Outcome != AlreadyRegistered || again.Registration.TaskID != first.Registration.TaskID {
		t.Errorf("again = %+v, want already registered with the same TaskId", again)
	}
	if after, _ := os.ReadFile(path); string(after) != string(before) {
		t.Error("registering the identical registration rewrote the file")
	}

	other := seedRequest()
	other.Trigger = Trigger{Kind: TriggerApplication}
	_, err := Register(ctx, path, other, RegisterOptions{})
	var conflict *ConflictError
	if !errors.As(err, &conflict) || !errors.Is(err, ErrInvalidInput) || conflict.Existing.TaskID != first.Registration.TaskID {
		t.Fatalf("different settings: err = %v, want a *ConflictError showing the existing registration", err)
	}
	if !strings.Contains(err.Error(), first.Registration.TaskID.String()) {
		t.Errorf("the refusal does not show the existing registration: %v", err)
	}

	replaced := mustRegister(t, path, other, RegisterOptions{Replace: true})
	if replaced.Outcome != Replaced || replaced.Previous == nil || replaced.Previous.TaskID != first.Registration.TaskID {
		t.Fatalf("replaced = %+v", replaced)
	}
	if replaced.Registration.TaskID == first.Registration.TaskID {
		t.Error("--replace kept the TaskId; Windows' Unregister+Register gives a new one")
	}
	reg, _ := Load(path)
	if len(reg.Registrations) != 1 || reg.Registrations[0].Trigger.Kind != TriggerApplication {
		t.Errorf("after replace: %+v", reg.Registrations)
	}
}

func TestRegisterChecksManifestBeforeWriting(t *testing.T) {
	path := registryIn(t)
	req := seedRequest()
	req.EntryPoint = "Task.ExampleBackgroundTask"
	_, err := Register(context.Background(), path, req, RegisterOptions{Manifest: &seedManifest})
	if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "did you mean Tasks.ExampleBackgroundTask?") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("a refused registration created the registry")
	}
	// Without a manifest (--no-manifest-check) the same request is accepted.
	mustRegister(t, path, req, RegisterOptions{})
}

// windows-facts.md §3 "Duplicates and instance limits": ApplicationTrigger
// can be registered only once per app instance; going over throws.
func TestRegisterOneApplicationTriggerPerApp(t *testing.T) {
	path := registryIn(t)
	app := Request{Name: "A", EntryPoint: "T.A", Trigger: Trigger{Kind: TriggerApplication}}
	mustRegister(t, path, app, RegisterOptions{})
	app2 := app
	app2.Name = "B"
	_, err := Register(context.Background(), path, app2, RegisterOptions{})
	var conflict *ConflictError
	if !errors.As(err, &conflict) || conflict.Existing.Name != "A" {
		t.Fatalf("second ApplicationTrigger: err = %v", err)
	}
	// Replacing the application registration itself is allowed.
	app.EntryPoint = "T.A2"
	mustRegister(t, path, app, RegisterOptions{Replace: true})
}

func TestRegisterRefusesInvalidRequests(t *testing.T) {
	path := registryIn(t)
	for _, req := range []Request{
		{Name: "", EntryPoint: "T.A", Trigger: push},
		{Name: " padded", EntryPoint: "T.A", Trigger: push},
		{Name: "A", EntryPoint: "", Trigger: push},
		{Name: "A", EntryPoint: "T.A", Trigger: Trigger{Kind: TriggerTimer, FreshnessMinutes: 5}},
		{Name: "A", EntryPoint: "T.A", Trigger: Trigger{Kind: "bogus"}},
		{Name: "A", EntryPoint: "T.A", Trigger: push, Conditions: []SystemConditionType{1, 2}},
		{Name: "A", EntryPoint: "T.A", Trigger: push, Conditions: []SystemConditionType{0}},
	} {
		if _, err := Register(context.Background(), path, req, RegisterOptions{}); !errors.Is(err, ErrInvalidInput) {
			t.Errorf("Register(%+v) = %v, want an invalid-input error", req, err)
		}
	}
}

func TestRegisterNeverReplacesCorruptRegistry(t *testing.T) {
	path := registryIn(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	corrupt := []byte(sampleRegistry[:100])
	if err := os.WriteFile(path, corrupt, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Register(context.Background(), path, seedRequest(), RegisterOptions{})
	var ce *CorruptError
	if !errors.As(err, &ce) || ce.Path != path {
		t.Fatalf("err = %v, want a *CorruptError naming %s", err, path)
	}
	if got, _ := os.ReadFile(path); string(got) != string(corrupt) {
		t.Error("a corrupt registry was rewritten")
	}
	if _, err := Unregister(context.Background(), path, Selector{Name: "RawPush"}); !errors.As(err, &ce) {
		t.Errorf("Unregister on a corrupt registry: %v", err)
	}
}

func TestPluginPathRelativeToRegistry(t *testing.T) {
	root := t.TempDir()
	t.Chdir(root)
	path := filepath.Join("state", "reg.json")
	req := seedRequest()
	req.Plugin = filepath.Join("bin", "task")
	res := mustRegister(t, path, req, RegisterOptions{})
	if res.Registration.Plugin != "../bin/task" {
		t.Errorf("stored plugin = %q, want ../bin/task (relative to the registry's folder)", res.Registration.Plugin)
	}
	reg, _ := Load(path)
	if got := reg.PluginPath(reg.Registrations[0]); got != filepath.Join("bin", "task") {
		t.Errorf("resolved plugin = %q, want bin/task", got)
	}
	abs := filepath.Join(root, "abs-task")
	req.Name, req.Plugin = "Abs", abs
	res = mustRegister(t, path, req, RegisterOptions{})
	if res.Registration.Plugin != abs || reg.PluginPath(res.Registration) != abs {
		t.Errorf("absolute plugin stored as %q", res.Registration.Plugin)
	}
}

// windows-facts.md §3 BackgroundTaskRegistration.Unregister: the
// registration leaves AllTasks.
func TestUnregister(t *testing.T) {
	ctx := context.Background()
	path := registryIn(t)
	a := mustRegister(t, path, Request{Name: "A", EntryPoint: "T.A", Trigger: push}, RegisterOptions{})
	mustRegister(t, path, Request{Name: "B", EntryPoint: "T.B", Trigger: push}, RegisterOptions{})

	removed, err := Unregister(ctx, path, Selector{TaskID: a.Registration.TaskID})
	if err != nil || removed.Name != "A" {
		t.Fatalf("Unregister by id = %+v, %v", removed, err)
	}
	removed, err = Unregister(ctx, path, Selector{Name: "B"})
	if err != nil || removed.Name != "B" {
		t.Fatalf("Unregister by name = %+v, %v", removed, err)
	}
	_, err = Unregister(ctx, path, Selector{Name: "B"})
	var nf *NotFoundError
	if !errors.As(err, &nf) || !errors.Is(err, ErrInvalidInput) {
		t.Errorf("unregistering twice: %v, want a *NotFoundError", err)
	}
	reg, err := Load(path)
	if err != nil || len(reg.Registrations) != 0 {
		t.Errorf("registry after unregistering everything: %+v, %v", reg, err)
	}
}

func TestUnregisterMissingRegistryCreatesNothing(t *testing.T) {
	path := registryIn(t)
	_, err := Unregister(context.Background(), path, Selector{Name: "X"})
	var nf *NotFoundError
	if !errors.As(err, &nf) || !strings.Contains(err.Error(), "the registry is empty") {
		t.Errorf("err = %v", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("Unregister created the registry file")
	}
}

func TestRegisterWaitsForTheLockUntilContextEnds(t *testing.T) {
	path := registryIn(t)
	unlock, err := fsutil.Lock(context.Background(), fsutil.SiblingLockPath(path))
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = Register(ctx, path, seedRequest(), RegisterOptions{})
	if !errors.Is(err, context.DeadlineExceeded) || !strings.Contains(err.Error(), "in use by another bgtask") {
		t.Errorf("err = %v, want the lock wait to end with the context", err)
	}
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Error("the registry was written without the lock")
	}
}

// A hand-edited file may repeat a name; Windows would then run the task once
// per copy (windows-facts.md §3 "Duplicates"). bgtask refuses to guess which
// copy a name means, and removes copies by TaskId.
func TestHandEditedDuplicateNames(t *testing.T) {
	ctx := context.Background()
	path := registryIn(t)
	first := mustRegister(t, path, Request{Name: "A", EntryPoint: "T.A", Trigger: push}, RegisterOptions{})
	second := mustRegister(t, path, Request{Name: "B", EntryPoint: "T.A", Trigger: push}, RegisterOptions{})
	data, _ := os.ReadFile(path)
	if err := os.WriteFile(path, []byte(strings.Replace(string(data), `"name": "B"`, `"name": "A"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Register(ctx, path, Request{Name: "A", EntryPoint: "T.A", Trigger: push}, RegisterOptions{}); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "2 registrations named") {
		t.Errorf("Register over a duplicated name: %v", err)
	}
	if _, err := Unregister(ctx, path, Selector{Name: "A"}); !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), "--id") {
		t.Errorf("Unregister of a duplicated name: %v", err)
	}
	if _, err := Unregister(ctx, path, Selector{TaskID: second.Registration.TaskID}); err != nil {
		t.Fatal(err)
	}
	reg, _ := Load(path)
	if len(reg.Registrations) != 1 || reg.Registrations[0].TaskID != first.Registration.TaskID {
		t.Errorf("after removing the copy by TaskId: %+v", reg.Registrations)
	}
}

// A name that is not UTF-8 was stored with U+FFFD in place of its bad bytes,
// so `unregister` with the same bytes could never find it; a right-to-left
// override or a zero-width space made a name read as another. Both are
// refused, in every text field, before anything is written.
func TestRegisterRefusesTextThatCannotBeStoredOrShownFaithfully(t *testing.T) {
	path := registryIn(t)
	for _, c := range []struct {
		req    Request
		reason string
	}{
		{Request{Name: "Raw\xffPush", EntryPoint: "T.A", Trigger: push}, `name "Raw\xffPush": is not valid UTF-8`},
		{Request{Name: "abc\u202etxt.exe", EntryPoint: "T.A", Trigger: push}, `name "abc\u202etxt.exe": contains U+202E, an invisible formatting character`},
		{Request{Name: "Raw\u200bPush", EntryPoint: "T.A", Trigger: push}, `contains U+200B`},
		{Request{Name: "A", EntryPoint: "T.\u2066A", Trigger: push}, `entry point "T.\u2066A": contains U+2066`},
		{Request{Name: "A", EntryPoint: "T.\xc0A", Trigger: push}, `entry point "T.\xc0A": is not valid UTF-8`},
		{Request{Name: "A", EntryPoint: "T.A", Trigger: push, Plugin: "bin/t\u202eexe.sh"}, `plugin`},
		{Request{Name: "A", EntryPoint: "T.A", Trigger: push, Plugin: "bin/task", PluginArgs: []string{"--x\xff"}}, `plugin arguments "--x\xff": is not valid UTF-8`},
	} {
		_, err := Register(context.Background(), path, c.req, RegisterOptions{})
		if !errors.Is(err, ErrInvalidInput) || !strings.Contains(err.Error(), c.reason) {
			t.Errorf("Register(%+q) = %v, want an invalid-input error saying %s", c.req.Name+" "+c.req.EntryPoint, err, c.reason)
		}
	}
	if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a refused registration wrote the registry: %v", err)
	}
	// Names in any script stay welcome.
	mustRegister(t, path, Request{Name: "Pousser-Éé 日本 שלום", EntryPoint: "T.A", Trigger: push}, RegisterOptions{})
}

// A refused re-register names what differs, each setting once with both
// values, so the user sees what to change without comparing two summaries.
func TestRegisterRefusalNamesWhatDiffers(t *testing.T) {
	// Windows' values (windows-facts.md §3 "Enumerations").
	const userPresent, internetAvailable SystemConditionType = 1, 3
	base := Request{Name: "Sync", EntryPoint: "Tasks.SyncTask", Trigger: push,
		Conditions: []SystemConditionType{internetAvailable}, Plugin: "bin/task", PluginArgs: []string{"-v"}}
	cases := []struct {
		name   string
		change func(*Request)
		want   []string
	}{
		{"entry point", func(r *Request) { r.EntryPoint = "Tasks.OtherTask" },
			[]string{"entry point Tasks.OtherTask (registered: Tasks.SyncTask)"}},
		{"trigger", func(r *Request) { r.Trigger = Trigger{Kind: TriggerTimer, FreshnessMinutes: 15} },
			[]string{"trigger timer:15 (registered: push)"}},
		{"conditions", func(r *Request) { r.Conditions = nil },
			[]string{"conditions none (registered: InternetAvailable)"}},
		{"conditions added", func(r *Request) { r.Conditions = []SystemConditionType{internetAvailable, userPresent} },
			[]string{"conditions UserPresent+InternetAvailable (registered: InternetAvailable)"}},
		{"cancel on loss", func(r *Request) { r.CancelOnConditionLoss = true },
			[]string{"cancel on condition loss on (registered: off)"}},
		// Plugins are shown as paths of the system, as typed from the
		// working folder.
		{"plugin", func(r *Request) { r.Plugin = "bin/other" },
			[]string{"plugin " + filepath.FromSlash("bin/other") + " (registered: " + filepath.FromSlash("bin/task") + ")"}},
		{"arguments", func(r *Request) { r.PluginArgs = []string{"two words"} },
			[]string{`plugin arguments "two words" (registered: "-v")`}},
		{"no arguments", func(r *Request) { r.PluginArgs = nil },
			[]string{`plugin arguments none (registered: "-v")`}},
		{"example instead", func(r *Request) { r.Plugin, r.PluginArgs, r.ExamplePlugin = "", nil, true },
			[]string{"plugin none (registered: " + filepath.FromSlash("bin/task") + ")", `plugin arguments none (registered: "-v")`, "the built-in example plugin on (registered: off)"}},
		{"two at once", func(r *Request) { r.EntryPoint, r.CancelOnConditionLoss = "Tasks.B", true },
			[]string{"entry point Tasks.B (registered: Tasks.SyncTask)", "cancel on condition loss on (registered: off)"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// Plugin paths are stored relative to the registry's folder, as
			// typed from there.
			path := registryIn(t)
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			t.Chdir(filepath.Dir(path))
			path = filepath.Base(path) // as the command line names it: relative
			mustRegister(t, path, base, RegisterOptions{})
			before, _ := os.ReadFile(path)
			asked := base
			asked.Conditions = slices.Clone(base.Conditions)
			tc.change(&asked)
			_, err := Register(context.Background(), path, asked, RegisterOptions{})
			var conflict *ConflictError
			if !errors.As(err, &conflict) {
				t.Fatalf("err = %v, want a *ConflictError", err)
			}
			if !slices.Equal(conflict.Differences, tc.want) {
				t.Errorf("differences = %q, want %q", conflict.Differences, tc.want)
			}
			for _, d := range tc.want {
				if !strings.Contains(err.Error(), "\n  asked for:  "+d) {
					t.Errorf("the message lacks %q:\n%v", d, err)
				}
			}
			if after, _ := os.ReadFile(path); string(after) != string(before) {
				t.Error("a refused register changed the registry")
			}
		})
	}
}
