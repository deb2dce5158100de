package lint

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// Rule IDs are a public interface (CI suppressions, SARIF history): they
// are BT001, BT002... without gaps, and every rule explains itself fully.
func TestRulesDescribeThemselves(t *testing.T) {
	names := map[string]bool{}
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for i, r := range Rules() {
		info := r.Info()
		if want := fmt.Sprintf("BT%03d", i+1); info.ID != want {
			t.Errorf("rule %d has ID %s, want %s (IDs never change or get reused)", i, info.ID, want)
		}
		if !kebab.MatchString(info.Name) || names[info.Name] {
			t.Errorf("%s: name %q is not unique kebab-case", info.ID, info.Name)
		}
		names[info.Name] = true
		if info.Severity != SeverityError && info.Severity != SeverityWarning {
			t.Errorf("%s: no severity", info.ID)
		}
		for field, v := range map[string]string{"Short": info.Short, "What": info.What, "Why": info.Why, "Fix": info.Fix, "Source": info.Source} {
			if v == "" {
				t.Errorf("%s: empty %s", info.ID, field)
			}
		}
		for _, key := range []string{info.ID, info.Name, "bt" + info.ID[2:]} {
			if got, ok := RuleByID(key); !ok || got.Info().ID != info.ID {
				t.Errorf("RuleByID(%q) did not find %s", key, info.ID)
			}
		}
	}
	if _, ok := RuleByID("BT999"); ok {
		t.Error("RuleByID found a rule that does not exist")
	}
}

// A rule that panics on some input becomes a finding, not a crashed CI step.
func TestRuleCrashIsAFinding(t *testing.T) {
	l := New(WithRules(panickyRule{RuleBase{RuleInfo{ID: "BT900", Name: "panics", Severity: SeverityError}}}))
	fs := l.Lint(Source{Path: "x.appxmanifest", Data: []byte(`<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"/>`)})
	if len(fs) != 1 || fs[0].RuleID != "BT900" {
		t.Fatalf("got %v", fs)
	}
	if f := fs[0]; f.Severity != SeverityError || f.Line != 1 || f.Col != 1 || !strings.Contains(f.Message, "internal error in rule BT900 (panics): boom") {
		t.Errorf("the crash finding should be an error at 1:1 naming the rule and the panic: %+v", f)
	}
}

type panickyRule struct{ RuleBase }

func (panickyRule) Check(*Pass) { panic("boom") }
