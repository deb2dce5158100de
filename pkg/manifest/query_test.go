package manifest

import (
	"errors"
	"fmt"
	"strings"
	"testing"
)

// Declarations reads every attribute it reports from where the schema puts
// it, whatever else the elements carry: SupportsMultipleInstances in any
// namespace (it moved between uapN), ServerName and Category unprefixed only,
// and a declaration without <BackgroundTasks> is still listed, with no tasks.
func TestDeclarationsReadEachAttribute(t *testing.T) {
	src := `<Package ` + xmlnsF + ` xmlns:uap4="` + NSUAPPrefix + `4" xmlns:x="urn:x">
  <Extensions>
    <Extension Category="windows.backgroundTasks" EntryPoint="Pkg.Level"><BackgroundTasks><Task Type="timer" /></BackgroundTasks></Extension>
  </Extensions>
  <Applications>
    <Application Id="App">
      <Extensions>
        <Extension Category="windows.backgroundTasks" EntryPoint="A.One" Executable="Host.exe" RuntimeType="windows.runtime" ResourceGroup="G">
          <BackgroundTasks ServerName="Srv" uap4:SupportsMultipleInstances="true">
            <Task Type="timer" />
            <Task Type="pushNotification" />
          </BackgroundTasks>
        </Extension>
        <Extension Category="windows.backgroundTasks" x:EntryPoint="not.this" StartPage="js/two.js">
          <BackgroundTasks x:ServerName="not-this"><Task Type="general" /></BackgroundTasks>
        </Extension>
        <Extension Category="windows.backgroundTasks" EntryPoint="A.Bare" />
        <Extension x:Category="windows.backgroundTasks" EntryPoint="Not.A.Declaration" />
        <Extension Category="windows.other" EntryPoint="Not.One.Either" />
      </Extensions>
    </Application>
  </Applications>
</Package>`
	doc := mustParse(t, src)
	var got []string
	for _, d := range doc.Declarations() {
		line := fmt.Sprintf("app=%q pkg=%v ep=%q sp=%q exe=%q rt=%q rg=%q server=%q multi=%q at %d:%d:", d.App, d.PackageLevel, d.EntryPoint, d.StartPage, d.Executable, d.RuntimeType, d.ResourceGroup, d.ServerName, d.SupportsMultipleInstances, d.Pos.Line, d.Pos.Col)
		for _, task := range d.Tasks {
			line += fmt.Sprintf(" %s@%d:%d", task.Type, task.Pos.Line, task.Pos.Col)
		}
		got = append(got, line)
	}
	want := []string{
		`app="" pkg=true ep="Pkg.Level" sp="" exe="" rt="" rg="" server="" multi="" at 3:5: timer@3:91`,
		`app="App" pkg=false ep="A.One" sp="" exe="Host.exe" rt="windows.runtime" rg="G" server="Srv" multi="true" at 8:9: timer@10:13 pushNotification@11:13`,
		`app="App" pkg=false ep="" sp="js/two.js" exe="" rt="" rg="" server="" multi="" at 14:9: general@15:52`,
		`app="App" pkg=false ep="A.Bare" sp="" exe="" rt="" rg="" server="" multi="" at 17:9:`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("declarations:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// A declaration without <BackgroundTasks> cannot take a new type.
	_, err := doc.Add(AddRequest{Target: Target{EntryPoint: "A.Bare"}, Types: []string{"timer"}})
	if !errors.Is(err, ErrBadRequest) || !strings.Contains(err.Error(), "the declaration of entry point A.Bare at test.appxmanifest:17:9 has no <BackgroundTasks>; fix it by hand or remove it first") {
		t.Errorf("add to a declaration without BackgroundTasks: %v", err)
	}
}

// An Extension that is not directly in an <Extensions> (here in an unknown
// wrapper) goes alone; its parent stays, even when it is left empty.
func TestRemoveLeavesAParentThatIsNotExtensions(t *testing.T) {
	decl := `
        <Extension Category="windows.backgroundTasks" EntryPoint="Tasks.Push">
          <BackgroundTasks>
            <Task Type="pushNotification" />
          </BackgroundTasks>
        </Extension>`
	editCase{name: "wrapper", src: pkgWith(xmlnsF, "      <Wrapper>"+decl+"\n      </Wrapper>"),
		rm:   &RemoveRequest{Target: Target{EntryPoint: "Tasks.Push"}},
		want: pkgWith(xmlnsF, "      <Wrapper>\n      </Wrapper>")}.run(t)
	// And an <Extensions> holding a comment besides stays, comment and all.
	editCase{name: "comment", src: pkgWith(xmlnsF, "      <Extensions>\n        <!-- keep -->"+decl+"\n      </Extensions>"),
		rm:   &RemoveRequest{Target: Target{EntryPoint: "Tasks.Push"}},
		want: pkgWith(xmlnsF, "      <Extensions>\n        <!-- keep -->\n      </Extensions>")}.run(t)
	// Text after the declaration keeps it too.
	editCase{name: "text after", src: pkgWith(xmlnsF, "      <Extensions>"+decl+" x\n      </Extensions>"),
		rm:   &RemoveRequest{Target: Target{EntryPoint: "Tasks.Push"}},
		want: pkgWith(xmlnsF, "      <Extensions> x\n      </Extensions>")}.run(t)
}

// An Extension outside every Application is package-level only when its
// <Extensions> sits directly in <Package>.
func TestPackageLevelOnlyDirectlyUnderPackage(t *testing.T) {
	doc := mustParse(t, `<Package `+xmlnsF+`><Extensions><Extension Category="windows.backgroundTasks" EntryPoint="A.Pkg"/></Extensions>`+
		`<Other><Extensions><Extension Category="windows.backgroundTasks" EntryPoint="A.Nested"/></Extensions></Other></Package>`)
	var got []string
	for _, d := range doc.Declarations() {
		got = append(got, fmt.Sprintf("%s app=%q package-level=%v", d.EntryPoint, d.App, d.PackageLevel))
	}
	if want := `A.Pkg app="" package-level=true|A.Nested app="" package-level=false`; strings.Join(got, "|") != want {
		t.Errorf("got %s, want %s", strings.Join(got, "|"), want)
	}
}

// A file with as many CRLF as LF line ends gets LF, as a file of one line does.
func TestNewlineTieIsLF(t *testing.T) {
	for src, want := range map[string]string{
		"<Package " + xmlnsF + ">\r\n<A/>\n</Package>":   "\n",
		"<Package " + xmlnsF + ">\r\n<A/>\r\n</Package>": "\r\n",
		"<Package " + xmlnsF + "/>":                      "\n",
	} {
		if got := mustParse(t, src).newline(); got != want {
			t.Errorf("newline(%q) = %q, want %q", src, got, want)
		}
	}
}

// One word in one case is a bare class name, not a file name: "cs" has no
// namespace; "pch.cs" is a file.
func TestCheckEntryPointSingleWord(t *testing.T) {
	for ep, reason := range map[string]string{"cs": "has no namespace", "pch.cs": "is a file name, not a class"} {
		var iv *InvalidValueError
		if err := CheckEntryPoint(ep); !errors.As(err, &iv) || iv.Reason != reason {
			t.Errorf("CheckEntryPoint(%q) = %v, want %q", ep, err, reason)
		}
	}
}
