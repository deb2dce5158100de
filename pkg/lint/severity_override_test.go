package lint

import "testing"

// A configured severity replaces the rule's own on its findings only.
func TestWithSeverityOverrides(t *testing.T) {
	data := []byte(`<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"><Applications><Application Id="App"><Extensions>` +
		`<Extension Category="windows.backgroundTasks" EntryPoint="pch.cpp"><BackgroundTasks><Task Type="timer"/></BackgroundTasks></Extension>` +
		`<Extension Category="windows.backgroundTasks" EntryPoint="pch.cpp"><BackgroundTasks><Task Type="general"/></BackgroundTasks></Extension>` +
		`</Extensions></Application></Applications></Package>`)
	fs := New(WithSeverity(map[string]Severity{"BT004": SeverityWarning})).Lint(Source{Path: "P.appxmanifest", Data: data})
	got := map[string]Severity{}
	for _, f := range fs {
		got[f.RuleID] = f.Severity
	}
	if got["BT004"] != SeverityWarning || got["BT008"] != SeverityWarning || len(got) != 2 {
		t.Errorf("severities %v, want BT004 turned into a warning and BT008 a warning as always", got)
	}
	for _, f := range New().Lint(Source{Path: "P.appxmanifest", Data: data}) {
		if f.RuleID == "BT004" && f.Severity != SeverityError {
			t.Errorf("without the override BT004 is %v", f.Severity)
		}
	}
}
