package manifest

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const fixtures = "../../testdata/manifests"

func loadFixture(t *testing.T, name string) *Document {
	t.Helper()
	doc, err := Load(filepath.Join(fixtures, name))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// insertion returns what was inserted to turn before into after, and false
// when the change is anything but one contiguous insertion.
func insertion(before, after []byte) (int, string, bool) {
	if len(after) < len(before) {
		return 0, "", false
	}
	i := 0
	for i < len(before) && before[i] == after[i] {
		i++
	}
	n := len(after) - len(before)
	if !bytes.Equal(before[i:], after[i+n:]) {
		return 0, "", false
	}
	return i, string(after[i : i+n]), true
}

// insertedExactly reports whether after is before with text inserted at one
// place and nothing else changed. (Where the text goes cannot be read off a
// byte diff alone: an insertion next to equal bytes could sit further left.)
func insertedExactly(before, after []byte, text string) bool {
	for i := 0; i+len(text) <= len(after); i++ {
		j := bytes.Index(after[i:], []byte(text))
		if j < 0 {
			return false
		}
		i += j
		rest := append(append([]byte{}, after[:i]...), after[i+len(text):]...)
		if bytes.Equal(rest, before) {
			return true
		}
	}
	return false
}

func mustAdd(t *testing.T, doc *Document, req AddRequest) EditResult {
	t.Helper()
	res, err := doc.Add(req)
	if err != nil {
		t.Fatalf("Add(%+v): %v", req, err)
	}
	return res
}

func reparse(t *testing.T, doc *Document, data []byte) *Document {
	t.Helper()
	out, err := Parse(doc.Path, data)
	if err != nil {
		t.Fatalf("edited file does not parse: %v\n%s", err, data)
	}
	return out
}

// TestAddInsertsInTheFilesStyle pins the exact text inserted into each
// fixture: line ending, indentation unit, prefixes, self-closing style.
func TestAddInsertsInTheFilesStyle(t *testing.T) {
	for _, tc := range []struct {
		fixture string
		req     AddRequest
		want    string
	}{
		{"crlf-bom.appxmanifest", AddRequest{Target: Target{EntryPoint: "Push.Task"}, Types: []string{"pushNotification"}},
			"\r\n      <Extensions>\r\n        <Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Push.Task\">\r\n          <BackgroundTasks>\r\n            <Task Type=\"pushNotification\" />\r\n          </BackgroundTasks>\r\n        </Extension>\r\n      </Extensions>"},
		{"tabs.appxmanifest", AddRequest{Target: Target{EntryPoint: "Push.Task"}, Types: []string{"pushNotification"}},
			"\n\t\t\t\t<Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Push.Task\">\n\t\t\t\t\t<BackgroundTasks>\n\t\t\t\t\t\t<Task Type=\"pushNotification\"/>\n\t\t\t\t\t</BackgroundTasks>\n\t\t\t\t</Extension>"},
		{"tabs.appxmanifest", AddRequest{Target: Target{EntryPoint: "Tabs.Tasks.TileTask"}, Types: []string{"pushNotification", "timer", "phoneCall"}},
			"\n\t\t\t\t\t\t<Task Type=\"pushNotification\"/>\n\t\t\t\t\t\t<uap:Task Type=\"phoneCall\"/>"},
		{"four-spaces.appxmanifest", AddRequest{Target: Target{StartPage: "js/push.js"}, Types: []string{"pushNotification"}},
			"\n            <Extensions>\n                <Extension Category=\"windows.backgroundTasks\" StartPage=\"js/push.js\">\n                    <BackgroundTasks>\n                        <Task Type=\"pushNotification\" />\n                    </BackgroundTasks>\n                </Extension>\n            </Extensions>"},
		{"prefixed.appxmanifest", AddRequest{Target: Target{EntryPoint: "Push.Task"}, Types: []string{"pushNotification", "chatMessageNotification"}},
			"\n        <f:Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Push.Task\">\n          <f:BackgroundTasks>\n            <f:Task Type=\"pushNotification\" />\n            <u:Task Type=\"chatMessageNotification\" />\n          </f:BackgroundTasks>\n        </f:Extension>"},
		{"two-apps.appxmanifest", AddRequest{Target: Target{App: "Companion", EntryPoint: "Companion.Tasks.SyncTask"}, Types: []string{"pushNotification"}},
			"\n            <Task Type=\"pushNotification\" />"},
		{"win81.appxmanifest", AddRequest{Target: Target{EntryPoint: "Win81.Tasks.GeofenceTask"}, Types: []string{"deviceUse", "timer"}},
			"\n            <m2:Task Type=\"deviceUse\" />\n            <Task Type=\"timer\" />"},
		{"iot.appxmanifest", AddRequest{Target: Target{EntryPoint: "Blinky.VpnTask"}, Types: []string{"vpnClient"}},
			"\n        <Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Blinky.VpnTask\">\n          <BackgroundTasks>\n            <uap:Task Type=\"vpnClient\" />\n          </BackgroundTasks>\n        </Extension>"},
		// The characters a file name may hold that XML escapes (" < > may not be in one: ST_FileNameCharSet).
		{"win8.appxmanifest", AddRequest{Target: Target{StartPage: `js\task a & b's.js`}, Executable: "Host.exe", Types: []string{"timer"}},
			"\r\n        <Extension Category=\"windows.backgroundTasks\" StartPage=\"js\\task a &amp; b's.js\" Executable=\"Host.exe\">\r\n          <BackgroundTasks>\r\n            <Task Type=\"timer\" />\r\n          </BackgroundTasks>\r\n        </Extension>"},
	} {
		t.Run(tc.fixture+"/"+tc.req.describe(), func(t *testing.T) {
			doc := loadFixture(t, tc.fixture)
			res := mustAdd(t, doc, tc.req)
			if !insertedExactly(doc.Data, res.Data, tc.want) {
				t.Errorf("the edit is not exactly the insertion of\n%q\ngot\n%s", tc.want, res.Data)
			}
			after := reparse(t, doc, res.Data)
			app, _, err := after.application(tc.req.App)
			if err != nil {
				t.Fatal(err)
			}
			decl, found := after.findDeclaration(app, tc.req.Target)
			if !found {
				t.Fatalf("declaration of %s not found after add", tc.req.describe())
			}
			for _, ty := range tc.req.Types {
				if !decl.HasType(ty) {
					t.Errorf("type %s missing after add: %v", ty, decl.Types())
				}
			}
		})
	}
}

func TestAddDeclaresUnboundNamespaceOnTheTask(t *testing.T) {
	doc := loadFixture(t, "win8.appxmanifest")
	doc2 := mustParse(t, strings.Replace(string(doc.Data), NSWin8, NSFoundation, 1))
	res := mustAdd(t, doc2, AddRequest{Target: Target{StartPage: `js\pushtask.js`}, Types: []string{"phoneCall"}})
	want := "\r\n            <uap:Task xmlns:uap=\"" + NSUAP + "\" Type=\"phoneCall\" />"
	if !insertedExactly(doc2.Data, res.Data, want) {
		t.Errorf("the edit is not exactly the insertion of %q:\n%s", want, res.Data)
	}
	decls := reparse(t, doc2, res.Data).Declarations()
	if last := decls[0].Tasks[len(decls[0].Tasks)-1]; last.Namespace != NSUAP {
		t.Errorf("new task namespace = %q, want %q", last.Namespace, NSUAP)
	}
}

func TestAddExpandsSelfClosingExtensions(t *testing.T) {
	doc := loadFixture(t, "single-quote.appxmanifest")
	res := mustAdd(t, doc, AddRequest{Target: Target{EntryPoint: "Q.Task"}, Types: []string{"pushNotification"}})
	want := "      <Extensions>\n        <Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Q.Task\">\n          <BackgroundTasks>\n            <Task Type=\"pushNotification\"/>\n          </BackgroundTasks>\n        </Extension>\n      </Extensions>\n"
	if !bytes.Contains(res.Data, []byte(want)) {
		t.Errorf("expanded Extensions not found; got\n%s", res.Data)
	}
	// Everything else, single quotes and character references included, is untouched.
	before, after, _ := bytes.Cut(doc.Data, []byte("      <Extensions/>\n"))
	if !bytes.HasPrefix(res.Data, before) || !bytes.HasSuffix(res.Data, after) {
		t.Errorf("bytes outside <Extensions/> changed:\n%s", res.Data)
	}
	// Removing the only declaration drops the now empty Extensions.
	rm, err := reparse(t, doc, res.Data).Remove(RemoveRequest{Target: Target{EntryPoint: "Q.Task"}})
	if err != nil {
		t.Fatal(err)
	}
	if want := append(append([]byte{}, before...), after...); !bytes.Equal(rm.Data, want) {
		t.Errorf("after remove:\n%s\nwant\n%s", rm.Data, want)
	}
}

func TestAddIsIdempotent(t *testing.T) {
	doc := loadFixture(t, "two-apps.appxmanifest")
	res := mustAdd(t, doc, AddRequest{Target: Target{App: "Companion", EntryPoint: "Companion.Tasks.SyncTask"}, Types: []string{"timer", "systemEvent"}})
	if res.Changed || !bytes.Equal(res.Data, doc.Data) || !strings.Contains(res.Message, "already declared") {
		t.Errorf("re-adding declared types: Changed=%v message=%q", res.Changed, res.Message)
	}
}

func TestAddThenRemoveRestoresTheFile(t *testing.T) {
	entries, err := os.ReadDir(fixtures)
	if err != nil {
		t.Fatal(err)
	}
	ran, merged := 0, 0
	for _, e := range entries {
		doc, err := Load(filepath.Join(fixtures, e.Name()))
		if err != nil || len(doc.Applications()) == 0 {
			continue // the error fixtures
		}
		if bytes.Contains(doc.Data, []byte("<Extensions/>")) {
			continue // expanding <Extensions/> is the documented exception
		}
		ran++
		t.Run(e.Name(), func(t *testing.T) {
			app := doc.ApplicationIDs()[0]
			// A new declaration.
			roundTrip(t, doc, Target{App: app, EntryPoint: "Bgtask.ProbeTask"}, "pushNotification")
			// Values that need escaping read back as given (a start page:
			// an entry point is an identifier and needs none).
			roundTrip(t, doc, Target{App: app, StartPage: `js\Probé a & b 'c'.js`}, "timer")
			// A type merged into each existing declaration.
			for _, d := range doc.Declarations() {
				if d.App == app && !d.HasType("pushNotification") {
					target := Target{App: app, EntryPoint: d.EntryPoint, StartPage: d.StartPage}
					if d.EntryPoint != "" {
						target.StartPage = ""
					}
					roundTrip(t, doc, target, "pushNotification")
					merged++
				}
			}
		})
	}
	if ran < 5 || merged == 0 {
		t.Fatalf("%d fixtures round-tripped, %d merges: the fixtures no longer cover what this test is for", ran, merged)
	}
}

// roundTrip adds taskType to target: one contiguous insertion, after which
// the file re-parses and lists it; removing it again restores the bytes.
func roundTrip(t *testing.T, doc *Document, target Target, taskType string) {
	t.Helper()
	added := mustAdd(t, doc, AddRequest{Target: target, Types: []string{taskType}})
	if _, _, ok := insertion(doc.Data, added.Data); !ok {
		t.Fatalf("add of %s to application %q is not one contiguous insertion", target.describe(), target.App)
	}
	after := reparse(t, doc, added.Data)
	if app, _, err := after.application(target.App); err != nil {
		t.Fatal(err)
	} else if decl, ok := after.findDeclaration(app, target); !ok || !decl.HasType(taskType) {
		t.Fatalf("%s in application %q does not list %s after add", target.describe(), target.App, taskType)
	}
	removed, err := after.Remove(RemoveRequest{Target: target, Type: taskType})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(removed.Data, doc.Data) {
		t.Fatalf("add then remove of %s in application %q did not restore the file:\n%s", target.describe(), target.App, removed.Data)
	}
}

func TestRemove(t *testing.T) {
	doc := loadFixture(t, "two-apps.appxmanifest")
	companion := Target{App: "Companion", EntryPoint: "Companion.Tasks.SyncTask"}

	one, err := doc.Remove(RemoveRequest{Target: companion, Type: "timer"})
	if err != nil {
		t.Fatal(err)
	}
	if want := strings.Replace(string(doc.Data), "\n            <Task Type=\"timer\" />", "", 1); string(one.Data) != want {
		t.Errorf("removing one type:\n%s", one.Data)
	}

	all, err := doc.Remove(RemoveRequest{Target: companion})
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Contains(all.Data, []byte("<Extensions>")) || !bytes.Contains(all.Data, []byte("Description=\"Companion\" BackgroundColor=\"transparent\" />\n    </Application>")) {
		t.Errorf("removing the only declaration should drop its Extensions:\n%s", all.Data)
	}

	none, err := doc.Remove(RemoveRequest{Target: Target{App: "Main", EntryPoint: "Nope.Task"}})
	if err != nil || none.Changed || !strings.Contains(none.Message, "not declared") {
		t.Errorf("removing an undeclared task: %+v, %v", none, err)
	}
}

func TestRemoveKeepsExtensionsWithAComment(t *testing.T) {
	doc := loadFixture(t, "tabs.appxmanifest")
	res, err := doc.Remove(RemoveRequest{Target: Target{EntryPoint: "Tabs.Tasks.TileTask"}})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(res.Data, []byte("<!-- the timer task keeps the tile fresh -->\n\t\t\t</Extensions>")) {
		t.Errorf("an Extensions holding a comment is not empty and must stay:\n%s", res.Data)
	}
}

func TestEditRequestErrors(t *testing.T) {
	two := loadFixture(t, "two-apps.appxmanifest")
	win8 := loadFixture(t, "win8.appxmanifest")
	noApps := loadFixture(t, "no-apps.appxmanifest")
	for _, tc := range []struct {
		name string
		doc  *Document
		req  AddRequest
		msg  string
	}{
		{"no target", win8, AddRequest{Types: []string{"timer"}}, "--entry-point"},
		{"both targets", win8, AddRequest{Target: Target{EntryPoint: "A.B", StartPage: "x.js"}, Types: []string{"timer"}}, "not both"},
		{"no types", win8, AddRequest{Target: Target{EntryPoint: "A.B"}}, "--type"},
		{"unknown type", win8, AddRequest{Target: Target{EntryPoint: "A.B"}, Types: []string{"phoneCall"}}, "valid types: audio, controlChannel, systemEvent, timer, pushNotification"},
		{"case", win8, AddRequest{Target: Target{EntryPoint: "A.B"}, Types: []string{"PushNotification"}}, "did you mean pushNotification"},
		{"ambiguous app", two, AddRequest{Target: Target{EntryPoint: "A.B"}, Types: []string{"timer"}}, "2 applications (Main, Companion); choose one with --app"},
		{"unknown app", two, AddRequest{Target: Target{App: "Nope", EntryPoint: "A.B"}, Types: []string{"timer"}}, `no application with Id "Nope"`},
		{"no apps", noApps, AddRequest{Target: Target{EntryPoint: "A.B"}, Types: []string{"timer"}}, "no <Application>"},
		{"control char", win8, AddRequest{Target: Target{EntryPoint: "A.B\n"}, Types: []string{"timer"}}, "control character"},
		{"file name entry point", win8, AddRequest{Target: Target{EntryPoint: "pch.cpp"}, Types: []string{"timer"}},
			`--entry-point "pch.cpp" is a file name, not a class; an entry point is the task class's full name, Namespace.Class (for example Tasks.ExampleBackgroundTask)`},
		{"entry point without namespace", win8, AddRequest{Target: Target{EntryPoint: "PushTask"}, Types: []string{"timer"}}, `"PushTask" has no namespace`},
		{"dll executable", win8, AddRequest{Target: Target{EntryPoint: "A.B"}, Executable: "Tasks.dll", Types: []string{"timer"}},
			`--executable "Tasks.dll" is not an .exe; name the .exe that hosts the task`},
		{"executable clash", win8, AddRequest{Target: Target{StartPage: `js\pushtask.js`}, Executable: "Other.exe", Types: []string{"timer"}}, "remove it first"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := tc.doc.Add(tc.req)
			if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("Add error = %v, want ErrBadRequest mentioning %q", err, tc.msg)
			}
		})
	}
}

func mustParse(t *testing.T, src string) *Document {
	t.Helper()
	doc, err := Parse("test.appxmanifest", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// An Application where the file's prefix for the main namespace is rebound
// (legal, if odd) still gets its Extensions in the main namespace, declared
// on the new element.
func TestAddDeclaresTheMainNamespaceWhenShadowed(t *testing.T) {
	doc := mustParse(t, `<f:Package xmlns:f="`+NSFoundation+`"><f:Applications><u:Application xmlns:u="`+NSUAP+`" xmlns:f="urn:shadow" Id="A"/></f:Applications></f:Package>`)
	res := mustAdd(t, doc, AddRequest{Target: Target{EntryPoint: "A.B"}, Types: []string{"timer", "phoneCall"}})
	after := reparse(t, doc, res.Data)
	decls := after.Declarations()
	if len(decls) != 1 || !decls[0].HasType("timer") || !decls[0].HasType("phoneCall") || decls[0].App != "A" {
		t.Fatalf("declarations after add: %+v\n%s", decls, res.Data)
	}
	for _, task := range decls[0].Tasks {
		if want := map[string]string{"timer": NSFoundation, "phoneCall": NSUAP}[task.Type]; task.Namespace != want {
			t.Errorf("task %s in %s, want %s", task.Type, task.Namespace, want)
		}
	}
	if !strings.Contains(string(res.Data), `<Extensions xmlns="`+NSFoundation+`">`) {
		t.Errorf("the new Extensions should declare the foundation namespace:\n%s", res.Data)
	}
}

// A manifest written on one line (as some build tools emit it) stays on one
// line, and still round-trips.
func TestAddToAOneLineManifest(t *testing.T) {
	for _, src := range []string{
		`<Package xmlns="` + NSFoundation + `"><Applications><Application Id="A"><VisualElements/></Application></Applications></Package>`,
		`<Package xmlns="` + NSFoundation + `"><Applications><Application Id="A"><VisualElements/><Extensions/></Application></Applications></Package>`,
		`<Package xmlns="` + NSFoundation + `"><Applications><Application Id="A"></Application></Applications></Package>`,
		`<Package xmlns="` + NSFoundation + `"><Applications><Application Id="A"><Extensions><Extension Category="windows.backgroundTasks" EntryPoint="A.C"><BackgroundTasks><Task Type="timer"/></BackgroundTasks></Extension></Extensions></Application></Applications></Package>`,
	} {
		doc := mustParse(t, src)
		target := Target{EntryPoint: "A.B"}
		res := mustAdd(t, doc, AddRequest{Target: target, Types: []string{"pushNotification", "phoneCall"}})
		if bytes.ContainsAny(res.Data, "\n") {
			t.Errorf("a one-line manifest got a line break:\n%s", res.Data)
		}
		// The self-closing style follows the file: " />" when it has no example.
		if !strings.Contains(strings.ReplaceAll(string(res.Data), `" />`, `"/>`), `<Extension Category="windows.backgroundTasks" EntryPoint="A.B"><BackgroundTasks><Task Type="pushNotification"/><uap:Task xmlns:uap="`+NSUAP+`" Type="phoneCall"/></BackgroundTasks></Extension>`) {
			t.Errorf("unexpected rendering:\n%s", res.Data)
		}
		after := reparse(t, doc, res.Data)
		rm, err := after.Remove(RemoveRequest{Target: target})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(src, "<Extensions/>") && !bytes.Equal(rm.Data, doc.Data) {
			t.Errorf("add then remove:\n%s\nwant\n%s", rm.Data, doc.Data)
		}
	}
}

// A manifest just under the size limit reads; an add that takes it over
// was reported as a bug ("please report this"). It is a refusal of the
// request, saying which limit, and nothing is written.
func TestAddOverTheSizeLimitIsARefusal(t *testing.T) {
	seed, err := os.ReadFile("../../testdata/seed/Package.appxmanifest")
	if err != nil {
		t.Fatal(err)
	}
	end := bytes.Index(seed, []byte("?>")) + 2
	pad := MaxFileSize - len(seed) - len("<!---->") - 10
	data := append(append(append([]byte{}, seed[:end]...), "<!--"+strings.Repeat("x", pad)+"-->"...), seed[end:]...)
	doc, err := Parse("Package.appxmanifest", data)
	if err != nil {
		t.Fatalf("a file 10 bytes under the limit: %v", err)
	}
	_, err = doc.Add(AddRequest{Target: Target{EntryPoint: "Tasks.SyncTask"}, Types: []string{"timer"}})
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "larger than 10 MiB") || strings.Contains(err.Error(), "report") {
		t.Fatalf("err = %v, want ErrBadRequest saying the file would pass 10 MiB", err)
	}
}

// A class declared in two Extensions (BT008, a warning) is edited as one
// declaration of every type either has: remove finds the type where it is,
// add does not repeat one, and removing the declaration says where the
// other copy is (hostile review: remove --type said "not declared", add
// wrote the type twice, and remove left the second copy silently).
func TestEditsOfAClassDeclaredTwice(t *testing.T) {
	const timerDecl = `
        <Extension Category="windows.backgroundTasks" EntryPoint="T.A">
          <BackgroundTasks>
            <Task Type="timer"/>
          </BackgroundTasks>
        </Extension>`
	const audioDecl = `
        <Extension Category="windows.backgroundTasks" EntryPoint="T.A">
          <BackgroundTasks>
            <Task Type="audio"/>
          </BackgroundTasks>
        </Extension>`
	src := `<?xml version="1.0" encoding="utf-8"?>
<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10">
  <Applications>
    <Application Id="One" Executable="a.exe" EntryPoint="a.App">
      <Extensions>` + timerDecl + audioDecl + `
      </Extensions>
    </Application>
  </Applications>
</Package>
`
	doc := mustParse(t, src)
	target := Target{EntryPoint: "T.A"}

	res, err := doc.Remove(RemoveRequest{Target: target, Type: "audio"})
	if err != nil || string(res.Data) != strings.Replace(src, audioDecl, "", 1) {
		t.Errorf("remove --type audio: %v, %q\n%s", err, res.Message, res.Data)
	}
	if strings.Contains(res.Message, "declared again") {
		t.Errorf("no other copy has audio, yet: %q", res.Message)
	}

	res, err = doc.Add(AddRequest{Target: target, Types: []string{"audio"}})
	if err != nil || res.Changed || res.Message != "already declared: entry point T.A (audio) in application One at test.appxmanifest:11:9; nothing changed" {
		t.Errorf("add --type audio: %v, changed %v, %q", err, res.Changed, res.Message)
	}
	res, err = doc.Add(AddRequest{Target: target, Types: []string{"audio", "systemEvent"}})
	wantAdd := strings.Replace(src, `<Task Type="timer"/>`, "<Task Type=\"timer\"/>\n            <Task Type=\"systemEvent\"/>", 1)
	if err != nil || string(res.Data) != wantAdd {
		t.Errorf("add --type audio --type systemEvent: %v, %q\n%s", err, res.Message, res.Data)
	}

	res, err = doc.Remove(RemoveRequest{Target: target})
	if err != nil || string(res.Data) != strings.Replace(src, timerDecl, "", 1) ||
		!strings.Contains(res.Message, "; it is declared again at test.appxmanifest:11:9 (audio) (a class declared twice, BT008): run the same remove again for that one") {
		t.Errorf("remove: %v, %q\n%s", err, res.Message, res.Data)
	}
}
