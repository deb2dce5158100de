package manifest

import "testing"

// FoldersElsewhere finds a value with a folder among the applications'
// and the background task declarations' own attributes, and nowhere else.
func TestFoldersElsewhere(t *testing.T) {
	doc := mustParse(t, `<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"><Applications>
<Application Id="A" Executable="App.exe" StartPage="index.html"><Extensions>
<Extension Category="windows.fileTypeAssociation" StartPage="other\x.js" Executable="other\x.exe"/>
<Extension Category="windows.backgroundTasks" StartPage="plain.js"><BackgroundTasks><Task Type="timer"/></BackgroundTasks></Extension>
<Extension Category="windows.backgroundTasks" StartPage="js\task.js" Executable="bin/host.exe"><BackgroundTasks><Task Type="timer"/></BackgroundTasks></Extension>
</Extensions></Application>
<Application Id="B" Executable="b\B.exe"/></Applications></Package>`)
	docDecl := mustParse(t, `<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"><Applications>
<Application Id="A" Executable="App.exe"><Extensions>
<Extension Category="windows.backgroundTasks" EntryPoint="T.A" Executable="bin/host.exe"><BackgroundTasks><Task Type="timer"/></BackgroundTasks></Extension>
</Extensions></Application></Applications></Package>`)
	if got, ok := docDecl.FoldersElsewhere("Executable", "host.exe"); !ok || got != "bin/host.exe" {
		t.Errorf("a declaration's Executable: %q, %v", got, ok)
	}
	for _, tc := range []struct {
		attr, value, want string
	}{
		{"StartPage", "task.js", `js\task.js`},
		{"Executable", "host.exe", `b\B.exe`}, // applications first, then declarations
		{"StartPage", `js\task.js`, ""},
		{"StartPage", "", ""},
		{"EntryPoint", "X", ""},
	} {
		got, ok := doc.FoldersElsewhere(tc.attr, tc.value)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("FoldersElsewhere(%s, %q) = %q, %v; want %q", tc.attr, tc.value, got, ok, tc.want)
		}
	}
}
