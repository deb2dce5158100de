package lint

import (
	"fmt"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// editManifest is a manifest of n declarations in one application, of
// the generation root gives; declaration dup (if >= 0) declares timer
// tasks times times, and each of the others one timer task. extra goes
// before the root's end.
func editManifest(root string, n, dup, times int, extra string) string {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0" encoding="utf-8"?>` + "\n" + root + "\n" +
		`  <Identity Name="C" Publisher="CN=C" Version="1.0.0.0" />` + "\n  <Applications>\n    <Application Id=\"App\" Executable=\"App.exe\" EntryPoint=\"C.App\">\n      <Extensions>\n")
	for i := range n {
		fmt.Fprintf(&b, "        <Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Tasks.T%d\">\n          <BackgroundTasks>\n", i)
		k := 1
		if i == dup {
			k = times
		}
		for range k {
			b.WriteString("            <Task Type=\"timer\" />\n")
		}
		b.WriteString("          </BackgroundTasks>\n        </Extension>\n")
	}
	b.WriteString("      </Extensions>\n    </Application>\n  </Applications>\n" + extra + "</Package>\n")
	return b.String()
}

const win10Root = `<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10">`

// editErrors makes the edit and returns what NewEditErrors and the whole
// file's NewErrors (the oracle) find, one line each, and whether the edit
// was judged on its excerpt.
func editErrors(t *testing.T, src string, req manifest.AddRequest) (got, whole string, excerpt bool) {
	t.Helper()
	doc, err := manifest.Parse("P.appxmanifest", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	res, err := doc.Add(req)
	if err != nil {
		t.Fatal(err)
	}
	before := Source{Path: "P.appxmanifest", Data: doc.Data, Doc: doc}
	show := func(fs []Finding) string {
		var lines []string
		for _, f := range fs {
			lines = append(lines, fmt.Sprintf("%s %d:%d(%d) %s", f.RuleID, f.Line, f.Col, f.ColumnUTF16(), f.Message))
		}
		return strings.Join(lines, "\n")
	}
	return show(NewEditErrors(before, res)), show(NewErrors(before, Source{Path: "P.appxmanifest", Data: res.Data})), res.Excerpt() != nil
}

// An addition is judged on its excerpt and finds what the whole file finds,
// at the same place: here an Extension taken past Windows 10's 17 tasks
// (BT007) in the middle of others. Where the excerpt would not find the
// same (a suppression comment that would cover another element in it;
// BT010, which lists the task types of every declaration of the app), the
// whole file is read.
func TestNewEditErrorsIsTheWholeFiles(t *testing.T) {
	past17 := manifest.AddRequest{Target: manifest.Target{EntryPoint: "Tasks.T9"}, Types: []string{"general"}}
	suppressed := strings.Replace(editManifest(win10Root, 20, 9, 17, ""), `        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.T0">`,
		"        <!-- bgtask-lint-disable BT007 -->\n"+`        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.T0">`, 1)
	for _, tc := range []struct {
		name, src string
		req       manifest.AddRequest
		want      string // how the answer starts; "" for none
	}{
		{"new declaration", editManifest(win10Root, 20, -1, 0, ""),
			manifest.AddRequest{Target: manifest.Target{EntryPoint: "Tasks.New"}, Types: []string{"pushNotification"}}, ""},
		{"past 17 tasks", editManifest(win10Root, 20, 9, 17, ""), past17, "BT007 71:13(13) this Extension declares 18 Task elements"},
		{"past 17 tasks, a suppression before another", suppressed, past17, "BT007 72:13(13) this Extension declares 18 Task elements"},
		{"Windows 8.1 without a lock screen", editManifest(`<Package xmlns="http://schemas.microsoft.com/appx/2010/manifest" xmlns:m2="http://schemas.microsoft.com/appx/2013/manifest">`, 20, -1, 0, ""),
			manifest.AddRequest{Target: manifest.Target{EntryPoint: "Tasks.New"}, Types: []string{"pushNotification"}}, `BT010 9:19(19) Application "App" declares "timer", "pushNotification" task(s) but no LockScreen`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, whole, excerpt := editErrors(t, tc.src, tc.req)
			if got != whole {
				t.Errorf("NewEditErrors:\n%s\nthe whole file:\n%s", got, whole)
			}
			if tc.want == "" && got != "" || !strings.HasPrefix(got, tc.want) {
				t.Errorf("found %q, want %q...", got, tc.want)
			}
			if !excerpt {
				t.Error("the edit made no excerpt: the test shows nothing")
			}
		})
	}
}

// What the excerpt does not report, the whole file reported for the wrong
// reason: an error that was there before the edit (Task types repeated in
// a later declaration, BT006) whose message quotes a line the edit moved.
func TestNewEditErrorsIgnoresMovedLines(t *testing.T) {
	src := editManifest(win10Root, 20, 15, 2, "")
	got, whole, excerpt := editErrors(t, src, manifest.AddRequest{Target: manifest.Target{EntryPoint: "Tasks.T9"}, Types: []string{"general"}})
	if !excerpt || got != "" {
		t.Errorf("NewEditErrors = %q (excerpt %v), want nothing", got, excerpt)
	}
	if !strings.HasPrefix(whole, "BT006 ") {
		t.Errorf("the whole file found %q; this test no longer shows the difference", whole)
	}
}
