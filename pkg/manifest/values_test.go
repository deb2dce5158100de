package manifest

import (
	"errors"
	"testing"
)

func TestCheckEntryPoint(t *testing.T) {
	for _, tc := range []struct {
		ep     string
		reason string // "" when valid
	}{
		{"Tasks.PushTask", ""},
		{"Company.App.Tasks.PushTask", ""},
		{"_private.Task1", ""},
		{"Tâches.Tâche", ""},
		{"$safeprojectname$.PushTask", ""}, // template tokens are the build's to replace
		{"$targetentrypoint$", ""},
		{"{Namespace}.Task", ""},
		{"pch.cpp", "is a file name, not a class"},
		{"Tasks.PushTask.CS", "is a file name, not a class"},
		{"Tasks.dll", "is a file name, not a class"},
		{"Contoso.Tasks.Exe", ""}, // a PascalCase ending is a class, not an extension
		{"Contoso.Js", ""},
		{`Tasks\PushTask`, "is a path, not a class"},
		{"Tasks/PushTask", "is a path, not a class"},
		{"My Tasks.PushTask", "is not a dotted identifier"},
		{"Tasks..PushTask", "is not a dotted identifier"},
		{"Tasks.PushTask.", "is not a dotted identifier"},
		{"1Tasks.PushTask", "is not a dotted identifier"},
		{"$not a token.Task", "is not a dotted identifier"},
		{"", "is not a dotted identifier"},
		{"PushTask", "has no namespace"},
	} {
		err := CheckEntryPoint(tc.ep)
		var invalid *InvalidValueError
		switch {
		case tc.reason == "" && err != nil:
			t.Errorf("CheckEntryPoint(%q) = %v, want nil", tc.ep, err)
		case tc.reason != "" && (!errors.As(err, &invalid) || invalid.Reason != tc.reason || invalid.Value != tc.ep || invalid.Attr != "EntryPoint"):
			t.Errorf("CheckEntryPoint(%q) = %v, want an *InvalidValueError that %s", tc.ep, err, tc.reason)
		}
	}
}

func TestCheckExecutable(t *testing.T) {
	for _, tc := range []struct {
		exe   string
		valid bool
	}{
		{"App.exe", true},
		{"APP.EXE", true},
		{`bin\Host.exe`, true},
		{"$targetnametoken$.exe", true},
		{"{Executable}", true}, // a bare template token, filled in later
		{"Tasks.dll", false},
		{"$targetnametoken$.dll", false},
		{".exe", false},
		{"App", false},
		{"", false},
	} {
		err := CheckExecutable(tc.exe)
		if tc.valid != (err == nil) {
			t.Errorf("CheckExecutable(%q) = %v, want valid=%v", tc.exe, err, tc.valid)
		}
		if err != nil && err.Error() != `Executable "`+tc.exe+`" is not an .exe` {
			t.Errorf("CheckExecutable(%q) says %q", tc.exe, err)
		}
	}
}

// Add refuses to write an entry point lint would report, but merges into a
// declaration that already has one: it writes only the new <Task>.
func TestAddMergesIntoADeclarationWithABadEntryPoint(t *testing.T) {
	doc := mustParse(t, `<Package xmlns="`+NSFoundation+`"><Applications><Application Id="App"><Extensions>
<Extension Category="windows.backgroundTasks" EntryPoint="pch.cpp"><BackgroundTasks><Task Type="timer"/></BackgroundTasks></Extension>
</Extensions></Application></Applications></Package>`)
	res, err := doc.Add(AddRequest{Target: Target{EntryPoint: "pch.cpp"}, Types: []string{"pushNotification"}})
	if err != nil || !res.Changed {
		t.Fatalf("merge into the existing pch.cpp declaration: changed=%v, %v", res.Changed, err)
	}
	if _, err := doc.Add(AddRequest{Target: Target{EntryPoint: "other.cpp"}, Types: []string{"timer"}}); !errors.Is(err, ErrBadRequest) {
		t.Fatalf("a new declaration with EntryPoint other.cpp: %v, want ErrBadRequest", err)
	}
}
