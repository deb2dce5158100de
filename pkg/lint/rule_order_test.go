package lint

import "testing"

// On a file that does not parse, the rules that need a document are skipped
// and the one that reports malformed XML still runs, wherever it is in the
// list.
func TestMalformedFileRunsTheXMLRuleInAnyOrder(t *testing.T) {
	l := New(WithRules(newRuleUnknownTaskType(), newRuleNoEntryPoint(), newRuleXMLWellFormed()))
	fs := l.Lint(Source{Path: "P.appxmanifest", Data: []byte("<Package>\n  <Applications>\n</Package>\n")})
	if len(fs) != 1 || fs[0].RuleID != "BT001" {
		t.Errorf("findings %+v, want the one BT001", fs)
	}
}
