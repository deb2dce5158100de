package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// bgtask plugin new writes a module that builds and passes plugin check as
// generated, with a task for every entry point the manifest declares, even
// entry points no Go identifier could spell.
func TestPluginNewBuildsAndPassesCheck(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("builds and runs plugins with the host's process tools; covered on Unix")
	}
	goCmd := needGo(t)
	bin := t.TempDir()
	buildBgtask(t, bin)
	bgtask := filepath.Join(bin, "bgtask")
	repo, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}

	// A manifest may declare what no --entry-point is allowed to give (plugin
	// new refuses a value that is no class name): the generated Go must
	// still hold it as a string, not as code.
	hostile := `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10">
  <Applications><Application Id="App" Executable="App.exe" EntryPoint="App.App"><Extensions>
    <Extension Category="windows.backgroundTasks" EntryPoint="D.&quot;quoted&quot;&#10;// x"><BackgroundTasks><Task Type="pushNotification"/></BackgroundTasks></Extension>
    <Extension Category="windows.backgroundTasks" EntryPoint="E.Task"><BackgroundTasks><Task Type="pushNotification"/></BackgroundTasks></Extension>
  </Extensions></Application></Applications>
</Package>
`
	for _, tc := range []struct {
		name     string
		manifest string // "": testdata/registry's
		args     []string
		want     []string // entry points served
		check    string   // the entry point plugin check runs
	}{
		{"from the manifest", "", nil, []string{"Tasks.ExampleBackgroundTask", "Tasks.OtherTask", "Tasks.SyncTask"}, "Tasks.SyncTask"},
		{"odd entry points", "", []string{"--entry-point", `A.Task`, "--entry-point", `B.Task`, "--entry-point", "C.func", "--entry-point", "Über.Task"},
			[]string{"A.Task", "B.Task", "C.func", "Über.Task"}, "C.func"},
		{"hostile entry point in the manifest", hostile, nil, []string{"D.\"quoted\"\n// x", "E.Task"}, "E.Task"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			work := t.TempDir()
			if tc.manifest == "" {
				copyFile(t, filepath.Join(repo, "testdata", "registry", "Package.appxmanifest"), filepath.Join(work, "Package.appxmanifest"), 0o644)
			} else if err := os.WriteFile(filepath.Join(work, "Package.appxmanifest"), []byte(tc.manifest), 0o644); err != nil {
				t.Fatal(err)
			}
			args := append([]string{"plugin", "new", "tasks", "--replace", repo}, tc.args...)
			run := exec.Command(bgtask, args...)
			run.Dir = work
			if out, err := run.CombinedOutput(); err != nil {
				t.Fatalf("bgtask plugin new: %v\n%s", err, out)
			}
			dir := filepath.Join(work, "tasks")
			build := exec.Command(goCmd, "build", "-o", "task", ".")
			build.Dir = dir
			build.Env = append(os.Environ(), "GOFLAGS=-buildvcs=false", "GOPROXY=off", "GOWORK=off")
			if out, err := build.CombinedOutput(); err != nil {
				t.Fatalf("the generated module does not build: %v\n%s", err, out)
			}
			check := exec.Command(bgtask, "plugin", "check", "--json", "--entry-point", tc.check, "./task")
			check.Dir = dir
			out, err := check.CombinedOutput()
			if err != nil {
				t.Fatalf("plugin check fails on the generated plugin: %v\n%s", err, out)
			}
			for _, ep := range tc.want {
				quoted := strings.ReplaceAll(strings.ReplaceAll(ep, `"`, `\"`), "\n", `\n`)
				if !strings.Contains(string(out), quoted) {
					t.Errorf("plugin check's report does not list entry point %q:\n%s", ep, out)
				}
			}
		})
	}
}
