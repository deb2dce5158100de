package lint

import (
	"strings"

	"github.com/bgtask/bgtask/pkg/tasks"
)

// registryProblemRule is the shared Check of the rules that report one kind
// of tasks.Problem (BT015-BT019): each rule file declares its description,
// its problem code and how to say the fix.
type registryProblemRule struct {
	RuleBase
	code tasks.ProblemCode
	// fix returns the sentence appended to the problem's message.
	fix func(r tasks.Registration, pr tasks.Problem) string
}

func (r registryProblemRule) Check(p *Pass) {
	if !p.crossChecking() {
		return
	}
	regs := p.Project.Registry
	for _, pr := range p.registryProblems() {
		if pr.Code != r.code {
			continue
		}
		// The problem's own registration, and the copy of its TaskId it
		// is in the file: ids may repeat in a hand-edited file (BT018),
		// and a lookup by id found the first copy's line and data.
		nth := 0
		var reg *tasks.Registration
		if pr.Index >= 0 && pr.Index < len(regs.Registrations) {
			reg, nth = &regs.Registrations[pr.Index], regs.Occurrence(pr.Index)
		}
		msg := pr.Message
		if reg != nil && r.fix != nil {
			switch fix := r.fix(*reg, pr); {
			case fix == "":
			case strings.HasSuffix(msg, "?"): // "...; did you mean X?"
				msg += " If so, " + fix
			default:
				msg += "; " + fix
			}
		}
		p.reportRegistryf(pr.TaskID, nth, "%s", msg)
	}
}

// RuleForProblem is the ID of the rule that reports registry problems of
// kind code (BT015 for tasks.ProblemEntryPointNotDeclared), so that commands
// warning about one can point at its --explain; "" for a code no rule has.
func RuleForProblem(code tasks.ProblemCode) string {
	for _, rule := range Rules() {
		if r, ok := rule.(registryProblemRule); ok && r.code == code {
			return r.Info().ID
		}
	}
	return ""
}
