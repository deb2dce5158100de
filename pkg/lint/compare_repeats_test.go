package lint

import (
	"fmt"
	"strings"
	"testing"
)

// NewErrors reports each error the edit added, counting repeats of one
// message: one <task> before and two after is one new error. Warnings and
// errors that were already there are not reported.
func TestNewErrorsCountsRepeats(t *testing.T) {
	manifest := func(tasks ...string) Source {
		return Source{Path: "P.appxmanifest", Data: []byte(`<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"><Applications><Application Id="App">` +
			`<Extensions><Extension Category="windows.backgroundTasks" EntryPoint="Tasks.A"><BackgroundTasks>` + strings.Join(tasks, "") +
			`</BackgroundTasks></Extension><Extension Category="windows.backgroundTasks" EntryPoint="Tasks.B" /></Extensions></Application></Applications></Package>`)}
	}
	for _, tc := range []struct {
		name          string
		before, after []string
		want          string
	}{
		{"one more", []string{`<task Type="timer"/>`}, []string{`<task Type="timer"/>`, `<task Type="timer"/>`},
			"BT023 1:234 <task> is not <Task>: element names are case-sensitive, so the package does not build; write <Task>"},
		{"same", []string{`<task Type="timer"/>`, `<Task Type="general"/>`}, []string{`<Task Type="general"/>`, `<task Type="timer"/>`}, ""},
		{"fewer", []string{`<task Type="timer"/>`, `<task Type="timer"/>`}, []string{`<task Type="timer"/>`}, ""},
	} {
		var got []string
		for _, f := range NewErrors(manifest(tc.before...), manifest(tc.after...)) {
			got = append(got, fmt.Sprintf("%s %d:%d %s", f.RuleID, f.Line, f.Col, f.Message))
		}
		if strings.Join(got, "\n") != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, strings.Join(got, "\n"), tc.want)
		}
	}
}
