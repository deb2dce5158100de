package lint

import "github.com/bgtask/bgtask/pkg/tasks"

// newRuleRegistryApplicationTrigger reports a second ApplicationTrigger
// registration.
func newRuleRegistryApplicationTrigger() Rule {
	return registryProblemRule{
		RuleBase: RuleBase{RuleInfo{
			ID:           "BT019",
			Name:         "registry-application-trigger-twice",
			Severity:     SeverityError,
			Short:        "more than one ApplicationTrigger registration",
			What:         `An app registers at most one ApplicationTrigger task.`,
			Why:          `ApplicationTrigger (like MediaProcessingTrigger and DeviceUseTrigger) can be registered only once per app instance; going over throws at Register.`,
			Fix:          `Unregister the extra ApplicationTrigger registrations and signal one task for every purpose.`,
			Source:       `docs/windows.md "Registration" (https://learn.microsoft.com/windows/uwp/launch-resume/support-your-app-with-background-tasks).`,
			needsProject: true,
		}},
		code: tasks.ProblemApplicationTriggerTwice,
	}
}
