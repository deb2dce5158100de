package manifest

import (
	"errors"
	"strings"
	"testing"
)

// The tests in this file pin whole files: each case gives the manifest, the
// edit, and the exact bytes the edit must produce, written out by hand. They
// catch what a round trip cannot (an edit and its mirror can be wrong the
// same way) and what a looser check lets through (the right element in the
// wrong place, on the wrong line, with the wrong prefix or indentation).

// editCase is one edit of src and the whole file it must give.
type editCase struct {
	name string
	src  string
	add  *AddRequest
	rm   *RemoveRequest
	want string
}

func (tc editCase) run(t *testing.T) EditResult {
	t.Helper()
	doc := mustParse(t, tc.src)
	var res EditResult
	var err error
	if tc.add != nil {
		res, err = doc.Add(*tc.add)
	} else {
		res, err = doc.Remove(*tc.rm)
	}
	if err != nil {
		t.Fatalf("%s: %v", tc.name, err)
	}
	if string(res.Data) != tc.want {
		t.Fatalf("%s: got\n%s\nwant\n%s", tc.name, res.Data, tc.want)
	}
	if res.Changed != (tc.want != tc.src) {
		t.Errorf("%s: Changed = %v", tc.name, res.Changed)
	}
	return res
}

const (
	xmlnsF   = `xmlns="` + NSFoundation + `"`
	xmlnsUAP = `xmlns:uap="` + NSUAP + `"`
)

// pkgWith wraps an Application's inner lines (each indented by six spaces
// already) in a two-space-indented Windows 10 manifest.
func pkgWith(rootAttrs string, appLines ...string) string {
	return `<?xml version="1.0" encoding="utf-8"?>
<Package ` + rootAttrs + `>
  <Applications>
    <Application Id="App">
` + strings.Join(appLines, "\n") + `
    </Application>
  </Applications>
</Package>
`
}

func addReq(ep string, types ...string) *AddRequest {
	return &AddRequest{Target: Target{EntryPoint: ep}, Types: types}
}

// Remove finds its target by entry point, not the first declaration: an
// Executable-only declaration before it (no EntryPoint, no StartPage) is left
// alone, and so is one that has the start page asked for but an entry point
// too (a start page declaration has no EntryPoint).
func TestRemoveFindsTheNamedDeclaration(t *testing.T) {
	execOnly := `      <Extensions>
        <Extension Category="windows.backgroundTasks" Executable="Host.exe">
          <BackgroundTasks>
            <Task Type="timer" />
          </BackgroundTasks>
        </Extension>`
	push := `
        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Push">
          <BackgroundTasks>
            <Task Type="pushNotification" />
          </BackgroundTasks>
        </Extension>`
	both := `      <Extensions>
        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Page" StartPage="js/task.js">
          <BackgroundTasks>
            <Task Type="timer" />
          </BackgroundTasks>
        </Extension>`
	page := `
        <Extension Category="windows.backgroundTasks" StartPage="js/task.js">
          <BackgroundTasks>
            <Task Type="pushNotification" />
          </BackgroundTasks>
        </Extension>`
	end := "\n      </Extensions>"
	for _, tc := range []editCase{
		{name: "entry point after an Executable-only declaration",
			src:  pkgWith(xmlnsF, execOnly+push+end),
			rm:   &RemoveRequest{Target: Target{EntryPoint: "Tasks.Push"}},
			want: pkgWith(xmlnsF, execOnly+end)},
		{name: "start page after a declaration with an entry point and that start page",
			src:  pkgWith(xmlnsF, both+page+end),
			rm:   &RemoveRequest{Target: Target{StartPage: "js/task.js"}},
			want: pkgWith(xmlnsF, both+end)},
		{name: "a type of a declaration after an Executable-only one",
			src:  pkgWith(xmlnsF, execOnly+strings.Replace(push, `<Task Type="pushNotification" />`, `<Task Type="pushNotification" />`+"\n            "+`<Task Type="timer" />`, 1)+end),
			rm:   &RemoveRequest{Target: Target{EntryPoint: "Tasks.Push"}, Type: "timer"},
			want: pkgWith(xmlnsF, execOnly+push+end)},
	} {
		tc.run(t)
	}
	// Nothing named: nothing changes, and the message lists what is there.
	doc := mustParse(t, pkgWith(xmlnsF, execOnly+push+end))
	res, err := doc.Remove(RemoveRequest{Target: Target{StartPage: "Tasks.Push"}})
	if err != nil || res.Changed {
		t.Fatalf("removing an undeclared start page: %v, changed %v", err, res.Changed)
	}
	if want := "not declared: no start page Tasks.Push in application App (it declares Tasks.Push); nothing changed"; res.Message != want {
		t.Errorf("message %q, want %q", res.Message, want)
	}
}

// An empty <Extensions></Extensions> on a line of its own gets the new
// declaration on lines of its own, and its end tag back on its own line.
func TestAddIntoAnEmptyExtensionsOnItsOwnLine(t *testing.T) {
	res := editCase{
		name: "empty Extensions",
		src:  pkgWith(xmlnsF, `      <Extensions></Extensions>`),
		add:  addReq("Tasks.Push", "pushNotification"),
		want: pkgWith(xmlnsF, `      <Extensions>
        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Push">
          <BackgroundTasks>
            <Task Type="pushNotification" />
          </BackgroundTasks>
        </Extension>
      </Extensions>`),
	}.run(t)
	wantDiff := `--- a/Package.appxmanifest
+++ b/Package.appxmanifest
@@ -2,7 +2,13 @@
 <Package ` + xmlnsF + `>
   <Applications>
     <Application Id="App">
-      <Extensions></Extensions>
+      <Extensions>
+        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Push">
+          <BackgroundTasks>
+            <Task Type="pushNotification" />
+          </BackgroundTasks>
+        </Extension>
+      </Extensions>
     </Application>
   </Applications>
 </Package>
`
	checkDiffText(t, res, wantDiff)
}

// Inside a line, <Extensions></Extensions> and a one-line <Extensions> get
// the new declaration on that line: the file has no line breaks there. The
// --dry-run diff shows the one line changed, as written.
func TestAddInsideALine(t *testing.T) {
	oneLineDecl := `<Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Push"><BackgroundTasks><Task Type="pushNotification" /></BackgroundTasks></Extension>`
	for _, tc := range []struct {
		editCase
		diff string
	}{
		{editCase{name: "empty Extensions after VisualElements on one line",
			src:  pkgWith(xmlnsF, `      <VisualElements /><Extensions></Extensions>`),
			add:  addReq("Tasks.Push", "pushNotification"),
			want: pkgWith(xmlnsF, `      <VisualElements /><Extensions>`+oneLineDecl+`</Extensions>`)},
			`--- a/Package.appxmanifest
+++ b/Package.appxmanifest
@@ -2,7 +2,7 @@
 <Package ` + xmlnsF + `>
   <Applications>
     <Application Id="App">
-      <VisualElements /><Extensions></Extensions>
+      <VisualElements /><Extensions>` + oneLineDecl + `</Extensions>
     </Application>
   </Applications>
 </Package>
`},
		{editCase{name: "one-line Extensions with a declaration",
			src:  pkgWith(xmlnsF, `      <Extensions><Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Timer"><BackgroundTasks><Task Type="timer" /></BackgroundTasks></Extension></Extensions>`),
			add:  addReq("Tasks.Push", "pushNotification"),
			want: pkgWith(xmlnsF, `      <Extensions><Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Timer"><BackgroundTasks><Task Type="timer" /></BackgroundTasks></Extension>`+oneLineDecl+`</Extensions>`)},
			`--- a/Package.appxmanifest
+++ b/Package.appxmanifest
@@ -2,7 +2,7 @@
 <Package ` + xmlnsF + `>
   <Applications>
     <Application Id="App">
-      <Extensions><Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Timer"><BackgroundTasks><Task Type="timer" /></BackgroundTasks></Extension></Extensions>
+      <Extensions><Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Timer"><BackgroundTasks><Task Type="timer" /></BackgroundTasks></Extension>` + oneLineDecl + `</Extensions>
     </Application>
   </Applications>
 </Package>
`},
		{editCase{name: "self-closing Extensions inside a line",
			src:  pkgWith(xmlnsF, `      <VisualElements /><Extensions />`),
			add:  addReq("Tasks.Push", "pushNotification"),
			want: pkgWith(xmlnsF, `      <VisualElements /><Extensions>`+oneLineDecl+`</Extensions>`)},
			`--- a/Package.appxmanifest
+++ b/Package.appxmanifest
@@ -2,7 +2,7 @@
 <Package ` + xmlnsF + `>
   <Applications>
     <Application Id="App">
-      <VisualElements /><Extensions />
+      <VisualElements /><Extensions>` + oneLineDecl + `</Extensions>
     </Application>
   </Applications>
 </Package>
`},
		{editCase{name: "after VisualElements inside a line",
			src:  pkgWith(xmlnsF, `      <Foo /><VisualElements />`),
			add:  addReq("Tasks.Push", "pushNotification"),
			want: pkgWith(xmlnsF, `      <Foo /><VisualElements /><Extensions>`+oneLineDecl+`</Extensions>`)},
			`--- a/Package.appxmanifest
+++ b/Package.appxmanifest
@@ -2,7 +2,7 @@
 <Package ` + xmlnsF + `>
   <Applications>
     <Application Id="App">
-      <Foo /><VisualElements />
+      <Foo /><VisualElements /><Extensions>` + oneLineDecl + `</Extensions>
     </Application>
   </Applications>
 </Package>
`},
	} {
		res := tc.run(t)
		checkDiffText(t, res, tc.diff)
		// And removing it again gives back the original, diff and all.
		after := mustParse(t, string(res.Data))
		rm, err := after.Remove(RemoveRequest{Target: Target{EntryPoint: "Tasks.Push"}})
		if err != nil {
			t.Fatal(err)
		}
		if tc.src != string(rm.Data) && !strings.Contains(tc.src, "<Extensions />") && !strings.Contains(tc.src, "<Extensions></Extensions>") {
			t.Errorf("%s: remove does not restore the file:\n%s", tc.name, rm.Data)
		}
	}
}

func checkDiffText(t *testing.T, res EditResult, want string) {
	t.Helper()
	diff, err := res.Diff("Package.appxmanifest")
	if err != nil {
		t.Fatal(err)
	}
	if diff != want {
		t.Errorf("diff:\n%s\nwant:\n%s", diff, want)
	}
}

// The diff of a pure insertion or removal shows whole lines added or removed,
// also when the inserted text starts with bytes equal to the ones after it.
func TestDiffOfWholeLines(t *testing.T) {
	src := pkgWith(xmlnsF, `      <Extensions>
        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Timer">
          <BackgroundTasks>
            <Task Type="timer" />
          </BackgroundTasks>
        </Extension>
      </Extensions>`)
	res := editCase{name: "add a type", src: src, add: addReq("Tasks.Timer", "pushNotification"),
		want: strings.Replace(src, `<Task Type="timer" />`, `<Task Type="timer" />`+"\n            "+`<Task Type="pushNotification" />`, 1)}.run(t)
	checkDiffText(t, res, `--- a/Package.appxmanifest
+++ b/Package.appxmanifest
@@ -6,6 +6,7 @@
         <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Timer">
           <BackgroundTasks>
             <Task Type="timer" />
+            <Task Type="pushNotification" />
           </BackgroundTasks>
         </Extension>
       </Extensions>
`)
	rm := editCase{name: "remove it", src: string(res.Data), rm: &RemoveRequest{Target: Target{EntryPoint: "Tasks.Timer"}, Type: "pushNotification"}, want: src}.run(t)
	checkDiffText(t, rm, `--- a/Package.appxmanifest
+++ b/Package.appxmanifest
@@ -6,7 +6,6 @@
         <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Timer">
           <BackgroundTasks>
             <Task Type="timer" />
-            <Task Type="pushNotification" />
           </BackgroundTasks>
         </Extension>
       </Extensions>
`)
	// Removing the whole declaration takes the emptied Extensions with it.
	all := editCase{name: "remove the declaration", src: src, rm: &RemoveRequest{Target: Target{EntryPoint: "Tasks.Timer"}},
		want: strings.Replace(pkgWith(xmlnsF), "\n\n", "\n", 1)}.run(t)
	checkDiffText(t, all, `--- a/Package.appxmanifest
+++ b/Package.appxmanifest
@@ -2,13 +2,6 @@
 <Package `+xmlnsF+`>
   <Applications>
     <Application Id="App">
-      <Extensions>
-        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Timer">
-          <BackgroundTasks>
-            <Task Type="timer" />
-          </BackgroundTasks>
-        </Extension>
-      </Extensions>
     </Application>
   </Applications>
 </Package>
`)
	// No change, no diff.
	same := editCase{name: "already declared", src: src, add: addReq("Tasks.Timer", "timer"), want: src}.run(t)
	checkDiffText(t, same, "")
}

// The indentation unit is the step most elements take from their parent; a
// tie goes to the shorter unit whatever the map order.
func TestIndentUnitFollowsTheMajority(t *testing.T) {
	decl := func(unit string, depth int) string {
		ind := strings.Repeat(unit, depth)
		return ind + `<Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Push">` + "\n" +
			ind + unit + "<BackgroundTasks>\n" +
			ind + unit + unit + `<Task Type="pushNotification" />` + "\n" +
			ind + unit + "</BackgroundTasks>\n" +
			ind + "</Extension>"
	}
	// Four spaces everywhere but one element, indented by two.
	four := `<Package ` + xmlnsF + `>
    <Properties>
      <DisplayName>x</DisplayName>
    </Properties>
    <Applications>
        <Application Id="App">
            <Extensions>
            </Extensions>
        </Application>
    </Applications>
</Package>`
	editCase{name: "majority four spaces", src: four, add: addReq("Tasks.Push", "pushNotification"),
		want: strings.Replace(four, "<Extensions>\n", "<Extensions>\n"+decl("    ", 4)+"\n", 1)}.run(t)
	// One step of a tab, one of four spaces, and one of three: a three-way
	// tie, which the tab wins.
	tie := "<Package " + xmlnsF + ">\n\t<Applications>\n    <Application Id=\"App\">\n       <Extensions>\n       </Extensions>\n    </Application>\n\t</Applications>\n</Package>"
	editCase{name: "tie", src: tie, add: addReq("Tasks.Push", "pushNotification"),
		want: strings.Replace(tie, "<Extensions>\n", "<Extensions>\n       \t"+strings.ReplaceAll(decl("\t", 0), "\n", "\n       \t")+"\n", 1)}.run(t)
	// A file too flat to tell gets two spaces.
	flat := "<Package " + xmlnsF + "><Applications>\n<Application Id=\"App\">\n<Extensions>\n</Extensions>\n</Application></Applications></Package>"
	editCase{name: "flat", src: flat, add: addReq("Tasks.Push", "pushNotification"),
		want: strings.Replace(flat, "<Extensions>\n", "<Extensions>\n"+decl("  ", 1)+"\n", 1)}.run(t)
}

// Namespace declarations are found wherever they sit among the attributes,
// and a fresh prefix skips the conventional name when that is taken.
func TestAddUsesTheFilesPrefixes(t *testing.T) {
	chat := func(taskLine string) string {
		return `      <Extensions>
        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Chat">
          <BackgroundTasks>
            ` + taskLine + `
          </BackgroundTasks>
        </Extension>
      </Extensions>`
	}
	for _, tc := range []struct{ name, rootAttrs, task string }{
		{"uap declared after an ordinary attribute",
			`IgnorableNamespaces="uap" ` + xmlnsF + ` ` + xmlnsUAP,
			`<uap:Task Type="chatMessageNotification" />`},
		{"uap declared before the default namespace",
			xmlnsUAP + ` ` + xmlnsF,
			`<uap:Task Type="chatMessageNotification" />`},
		{"a prefix other than uap",
			`xmlns:u="` + NSUAP + `" ` + xmlnsF,
			`<u:Task Type="chatMessageNotification" />`},
		{"uap bound to another namespace",
			xmlnsF + ` xmlns:uap="` + NSUAPPrefix + `3"`,
			`<uap2:Task xmlns:uap2="` + NSUAP + `" Type="chatMessageNotification" />`},
		{"uap and uap2 bound to other namespaces",
			xmlnsF + ` xmlns:uap2="` + NSUAPPrefix + `2" xmlns:uap="` + NSUAPPrefix + `3"`,
			`<uap3:Task xmlns:uap3="` + NSUAP + `" Type="chatMessageNotification" />`},
		{"not bound at all",
			xmlnsF,
			`<uap:Task xmlns:uap="` + NSUAP + `" Type="chatMessageNotification" />`},
	} {
		editCase{name: tc.name, src: pkgWith(tc.rootAttrs, `      <VisualElements />`),
			add:  addReq("Tasks.Chat", "chatMessageNotification"),
			want: pkgWith(tc.rootAttrs, `      <VisualElements />`+"\n"+chat(tc.task))}.run(t)
	}
}

// A file with no self-closing element, or as many " />" as "/>", gets " />",
// what Visual Studio writes; one with more "/>" gets "/>".
func TestSelfClosingStyle(t *testing.T) {
	for _, tc := range []struct {
		name, before, want string
	}{
		{"none", `      <VisualElements></VisualElements>`, ` />`},
		{"tie", "      <Foo/>\n      <VisualElements />", ` />`},
		{"tight majority", "      <Foo/><Bar />\n      <VisualElements/>", `/>`},
		{"tab and line break before the slash count as spaced", "      <Foo/><Bar\n/>\n      <VisualElements\t/>", ` />`},
	} {
		editCase{name: tc.name, src: pkgWith(xmlnsF, tc.before),
			add: addReq("Tasks.Push", "pushNotification"),
			want: pkgWith(xmlnsF, tc.before+`
      <Extensions>
        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Push">
          <BackgroundTasks>
            <Task Type="pushNotification"`+tc.want+`
          </BackgroundTasks>
        </Extension>
      </Extensions>`)}.run(t)
	}
}

// The schema allows 256 characters in an entry point, an application id and
// a start page: 256 is taken, 257 refused. Values with a control character
// or surrounding spaces are refused before anything is looked up.
func TestAddValueLimits(t *testing.T) {
	src := pkgWith(xmlnsF, `      <VisualElements />`)
	ep256 := "A." + strings.Repeat("é", 254) // 256 characters, 510 bytes
	doc := mustParse(t, src)
	res, err := doc.Add(AddRequest{Target: Target{EntryPoint: ep256}, Types: []string{"timer"}})
	if err != nil || !strings.Contains(string(res.Data), `EntryPoint="`+ep256+`"`) {
		t.Fatalf("256-character entry point: %v\n%s", err, res.Data)
	}
	for _, tc := range []struct {
		name string
		req  AddRequest
		msg  string
	}{
		{"257 characters", AddRequest{Target: Target{EntryPoint: ep256 + "x"}, Types: []string{"timer"}}, "--entry-point is longer than the 256 characters"},
		{"257-character start page", AddRequest{Target: Target{StartPage: strings.Repeat("a", 257)}, Types: []string{"timer"}}, "--start-page is longer than the 256 characters"},
		{"257-character app", AddRequest{Target: Target{App: strings.Repeat("a", 257), EntryPoint: "A.B"}, Types: []string{"timer"}}, "--app is longer than the 256 characters"},
		{"257-character executable", AddRequest{Target: Target{EntryPoint: "A.B"}, Executable: strings.Repeat("a", 253) + ".exe", Types: []string{"timer"}}, "--executable is longer than the 256 characters"},
		{"leading space", AddRequest{Target: Target{EntryPoint: " A.B"}, Types: []string{"timer"}}, `--entry-point " A.B" has leading or trailing spaces`},
		{"trailing space", AddRequest{Target: Target{StartPage: "a.js "}, Types: []string{"timer"}}, `--start-page "a.js " has leading or trailing spaces`},
		{"control character", AddRequest{Target: Target{EntryPoint: "A.\x01B"}, Types: []string{"timer"}}, `--entry-point "A.\x01B" contains a control character`},
		{"control character first", AddRequest{Target: Target{App: "\tApp", EntryPoint: "A.B"}, Types: []string{"timer"}}, `--app "\tApp" contains a control character`},
		{"noncharacter", AddRequest{Target: Target{EntryPoint: "A.B\uFFFF"}, Types: []string{"timer"}}, `contains a control character`},
		{"noncharacter FFFE", AddRequest{Target: Target{EntryPoint: "A.B\uFFFE"}, Types: []string{"timer"}}, `contains a control character`},
		{"invalid UTF-8", AddRequest{Target: Target{App: "A\xff", EntryPoint: "A.B"}, Types: []string{"timer"}}, `--app is not valid UTF-8`},
	} {
		_, err := doc.Add(tc.req)
		if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: %v, want ErrBadRequest with %q", tc.name, err, tc.msg)
		}
		_, err = doc.Remove(RemoveRequest{Target: tc.req.Target})
		if tc.req.Executable == "" && (!errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), tc.msg)) {
			t.Errorf("remove, %s: %v, want ErrBadRequest with %q", tc.name, err, tc.msg)
		}
	}
	// 256 characters of executable is fine.
	exe := strings.Repeat("a", 252) + ".exe"
	if _, err := doc.Add(AddRequest{Target: Target{EntryPoint: "A.B"}, Executable: exe, Types: []string{"timer"}}); err != nil {
		t.Errorf("256-character executable: %v", err)
	}
}

// Where the file's prefix for the main namespace is rebound (legal, if odd),
// the new Extensions declares the main namespace as its default, its
// children use that default, and other namespaces keep the file's prefixes.
func TestAddUnderAShadowedPrefixExactly(t *testing.T) {
	head := `<f:Package xmlns:f="` + NSFoundation + `"><f:Applications><u:Application xmlns:u="` + NSUAP + `" xmlns:f="urn:shadow" Id="A"`
	tail := `</f:Applications></f:Package>`
	editCase{name: "shadowed", src: head + `/>` + tail, add: addReq("A.B", "timer", "phoneCall"),
		want: head + `><Extensions xmlns="` + NSFoundation + `"><Extension Category="windows.backgroundTasks" EntryPoint="A.B"><BackgroundTasks><Task Type="timer"/><u:Task Type="phoneCall"/></BackgroundTasks></Extension></Extensions></u:Application>` + tail}.run(t)
}

// Only elements on lines of their own, under parents on lines of their own,
// say what the file's indentation step is: a child of a parent that shares
// its line counts for nothing.
func TestIndentUnitIgnoresParentsInsideALine(t *testing.T) {
	src := "<Package " + xmlnsF + "><Applications><Application Id=\"App\">\n      <VisualElements />\n      <Extensions>\n      </Extensions>\n</Application></Applications></Package>"
	editCase{name: "parent inside a line", src: src, add: addReq("Tasks.Push", "pushNotification"),
		want: strings.Replace(src, "<Extensions>\n", "<Extensions>\n        <Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Tasks.Push\">\n          <BackgroundTasks>\n            <Task Type=\"pushNotification\" />\n          </BackgroundTasks>\n        </Extension>\n", 1)}.run(t)
}

// Two steps of the same length and count (a tab, a space) tie; the choice
// must not depend on map order: the smaller string wins, every time.
func TestIndentUnitTieOfEqualLengths(t *testing.T) {
	src := "<Package " + xmlnsF + ">\n\t<Applications>\n\t</Applications>\n <Other/>\n</Package>"
	for range 30 {
		if got := mustParse(t, src).indentUnit(); got != "\t" {
			t.Fatalf("indentUnit = %q, want a tab (\"\\t\" < \" \")", got)
		}
	}
}

// A file whose lines end in a lone CR (classic Mac OS line endings; XML
// reads a lone CR as a line break, XML 1.0 section 2.11) gets its additions on
// lines of their own ending the same way, and a remove takes the line and
// its CR with it, as it does with LF and CRLF. Before, the CR was not seen as
// a line break: the whole declaration was added on the line of the element
// before it, and a declaration typed on lines of its own left an empty,
// indented line behind when removed.
func TestLoneCRLineEndings(t *testing.T) {
	cr := func(s string) string { return strings.ReplaceAll(s, "\n", "\r") }
	decl := `      <Extensions>
        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Push">
          <BackgroundTasks>
            <Task Type="pushNotification" />
          </BackgroundTasks>
        </Extension>
      </Extensions>`
	withTimer := strings.Replace(decl, `<Task Type="pushNotification" />`, `<Task Type="pushNotification" />`+"\n            "+`<Task Type="timer" />`, 1)
	visual := `      <uap:VisualElements DisplayName="A" Description="A" BackgroundColor="transparent" Square150x150Logo="a.png" Square44x44Logo="b.png" />`
	for _, tc := range []editCase{
		{name: "add a declaration",
			src:  cr(pkgWith(xmlnsF+" "+xmlnsUAP, visual)),
			add:  addReq("Tasks.Push", "pushNotification"),
			want: cr(pkgWith(xmlnsF+" "+xmlnsUAP, visual, decl))},
		{name: "add a type",
			src:  cr(pkgWith(xmlnsF+" "+xmlnsUAP, visual, decl)),
			add:  addReq("Tasks.Push", "timer"),
			want: cr(pkgWith(xmlnsF+" "+xmlnsUAP, visual, withTimer))},
		{name: "remove a type",
			src:  cr(pkgWith(xmlnsF+" "+xmlnsUAP, visual, withTimer)),
			rm:   &RemoveRequest{Target: Target{EntryPoint: "Tasks.Push"}, Type: "timer"},
			want: cr(pkgWith(xmlnsF+" "+xmlnsUAP, visual, decl))},
		{name: "remove the declaration",
			src:  cr(pkgWith(xmlnsF+" "+xmlnsUAP, visual, decl)),
			rm:   &RemoveRequest{Target: Target{EntryPoint: "Tasks.Push"}},
			want: cr(pkgWith(xmlnsF+" "+xmlnsUAP, visual))},
	} {
		tc.run(t)
	}
}

// The line ending of additions is the file's majority, a lone CR included;
// a file of one line gets LF.
func TestNewlineIsTheMajority(t *testing.T) {
	for _, tc := range []struct{ data, want string }{
		{"<a/>", "\n"},
		{"<a>\n<b/>\r\n</a>", "\n"},           // a tie goes to LF
		{"<a>\r\n<b/>\r\n</a>\n", "\r\n"},     // CRLF 2, LF 1
		{"<a>\r<b/>\r</a>\n", "\r"},           // CR 2, LF 1
		{"<a>\r<b/>\r\n</a>\r\n", "\r\n"},     // CRLF 2, CR 1
		{"<a>\r<b/>\r\n</a>\n", "\n"},         // one of each
		{"<a>\r<b/>\r</a>\r\n\r\n\n\n", "\n"}, // CR 2, CRLF 2, LF 2
	} {
		d := &Document{Data: []byte(tc.data)}
		if got := d.newline(); got != tc.want {
			t.Errorf("newline of %q = %q, want %q", tc.data, got, tc.want)
		}
	}
}
