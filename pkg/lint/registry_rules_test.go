package lint

import (
	"testing"

	"github.com/bgtask/bgtask/pkg/tasks"
)

// The IDs are docs/lint.md's table, read by hand: commands that warn about
// a registry problem point at the rule's --explain by this ID.
func TestRuleForProblem(t *testing.T) {
	for code, want := range map[tasks.ProblemCode]string{
		tasks.ProblemEntryPointNotDeclared:   "BT015",
		tasks.ProblemTaskTypeNotDeclared:     "BT016",
		tasks.ProblemDuplicateName:           "BT017",
		tasks.ProblemDuplicateTaskID:         "BT018",
		tasks.ProblemApplicationTriggerTwice: "BT019",
		"no-such-problem":                    "",
	} {
		if got := RuleForProblem(code); got != want {
			t.Errorf("RuleForProblem(%s) = %q, want %q", code, got, want)
		}
	}
}
