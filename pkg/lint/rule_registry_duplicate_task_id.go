package lint

import "github.com/bgtask/bgtask/pkg/tasks"

// newRuleRegistryDuplicateTaskID reports two registrations sharing a TaskId
// (a hand-edited or badly merged registry file).
func newRuleRegistryDuplicateTaskID() Rule {
	return registryProblemRule{
		RuleBase: RuleBase{RuleInfo{
			ID:           "BT018",
			Name:         "registry-duplicate-task-id",
			Severity:     SeverityError,
			Short:        "two registrations with one TaskId",
			What:         `Every registration has its own TaskId, the Guid Windows generates at Register.`,
			Why:          `A TaskId names one registration; two with the same id cannot be told apart by unregister or trigger. Only a hand-edited or badly merged registry has them.`,
			Fix:          `Remove the copy from the registry file, or unregister both and register again.`,
			Source:       `docs/windows.md "Registration" (TaskId: a GUID the system generates; https://learn.microsoft.com/uwp/api/windows.applicationmodel.background.backgroundtaskregistration).`,
			needsProject: true,
		}},
		code: tasks.ProblemDuplicateTaskID,
	}
}
