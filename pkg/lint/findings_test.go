package lint

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// Findings sort by path, line, column, rule, then message; equal ones keep
// their order.
func TestSortFindings(t *testing.T) {
	fs := []Finding{
		{Path: "b", Line: 1, Col: 1, RuleID: "BT001", Message: "z"},
		{Path: "a", Line: 2, Col: 1, RuleID: "BT001", Message: "z"},
		{Path: "a", Line: 1, Col: 5, RuleID: "BT001", Message: "z"},
		{Path: "a", Line: 1, Col: 2, RuleID: "BT009", Message: "z"},
		{Path: "a", Line: 1, Col: 2, RuleID: "BT002", Message: "y"},
		{Path: "a", Line: 1, Col: 2, RuleID: "BT002", Message: "x"},
		{Path: "a", Line: 10, Col: 1, RuleID: "BT001", Message: "z", Severity: SeverityError},
		{Path: "a", Line: 10, Col: 1, RuleID: "BT001", Message: "z", Severity: SeverityWarning},
	}
	SortFindings(fs)
	var got []string
	for _, f := range fs {
		got = append(got, fmt.Sprintf("%s:%d:%d %s %s %s", f.Path, f.Line, f.Col, f.RuleID, f.Message, f.Severity))
	}
	want := []string{
		"a:1:2 BT002 x unknown", "a:1:2 BT002 y unknown", "a:1:2 BT009 z unknown", "a:1:5 BT001 z unknown",
		"a:2:1 BT001 z unknown", "a:10:1 BT001 z error", "a:10:1 BT001 z warning", "b:1:1 BT001 z unknown",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("sorted:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestCountAndSeverityJSON(t *testing.T) {
	errs, warns := Count([]Finding{{Severity: SeverityError}, {Severity: SeverityWarning}, {Severity: SeverityError}, {Severity: SeverityWarning}, {Severity: SeverityWarning}})
	if errs != 2 || warns != 3 {
		t.Errorf("Count = %d errors, %d warnings; want 2, 3", errs, warns)
	}
	for _, s := range []Severity{SeverityError, SeverityWarning} {
		b, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		var back Severity
		if err := json.Unmarshal(b, &back); err != nil || back != s || string(b) != `"`+s.String()+`"` {
			t.Errorf("%v: %s, back %v, %v", s, b, back, err)
		}
	}
	var s Severity
	if err := json.Unmarshal([]byte(`"fatal"`), &s); err == nil || err.Error() != `unknown severity "fatal"` {
		t.Errorf("unknown severity: %v", err)
	}
	if err := json.Unmarshal([]byte(`1`), &s); err == nil {
		t.Error("a number was taken for a severity")
	}
}
