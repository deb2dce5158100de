package lint

import "github.com/bgtask/bgtask/pkg/tasks"

// newRuleRegistryDuplicateName reports a task name registered more than once.
func newRuleRegistryDuplicateName() Rule {
	return registryProblemRule{
		RuleBase: RuleBase{RuleInfo{
			ID:       "BT017",
			Name:     "registry-duplicate-name",
			Severity: SeverityError,
			Short:    "two registrations with one name",
			What:     `Each registration name appears once in the registry.`,
			Why: `BackgroundTaskBuilder accepts the same name twice, and then every copy runs on
each trigger and uses up the task's CPU time. Apps are told to look the name up
in AllTasks before registering; a duplicate means that check is missing.`,
			Fix:          `Unregister the extra copies (bgtask unregister --id TASKID), and in the app check BackgroundTaskRegistration.AllTasks before Register.`,
			Source:       `docs/windows.md "Registration" (https://learn.microsoft.com/windows/uwp/launch-resume/create-and-register-a-background-task).`,
			needsProject: true,
		}},
		code: tasks.ProblemDuplicateName,
	}
}
