package lint

import (
	"fmt"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// newRuleRegistryEntryPoint reports a registration whose entry point the
// manifest does not declare: the seed's Task.ExampleBackgroundTask
// registered against a class declared in namespace Tasks.
func newRuleRegistryEntryPoint() Rule {
	return registryProblemRule{
		RuleBase: RuleBase{RuleInfo{
			ID:       "BT015",
			Name:     "registry-entry-point-not-declared",
			Severity: SeverityError,
			Short:    "a registration whose entry point the manifest does not declare",
			What: `Every registration in the bgtask registry (what the app registers with
BackgroundTaskBuilder) must name a TaskEntryPoint that the app manifest declares
as the EntryPoint (or StartPage) of a windows.backgroundTasks Extension, exactly,
with the same case.`,
			Why: `Activation needs the class namespace and name, the manifest EntryPoint and the
registered TaskEntryPoint to agree. Windows 8.1 and later refuse the registration
at Register (an unhandled exception crashes the app); Windows 8 accepts it and
the task never runs.`,
			Fix: `Register the entry point the manifest declares (bgtask register --entry-point),
or declare the registered one: bgtask manifest add --entry-point NS.Class --type T.
The message suggests the declared entry point nearest a likely typo.`,
			Source:       `docs/windows.md "Registration" (https://learn.microsoft.com/uwp/api/windows.applicationmodel.background.backgroundtaskbuilder.register, https://learn.microsoft.com/windows/uwp/launch-resume/declare-background-tasks-in-the-application-manifest).`,
			needsProject: true,
		}},
		code: tasks.ProblemEntryPointNotDeclared,
		fix: func(r tasks.Registration, pr tasks.Problem) string {
			if pr.Suggestion != "" {
				return fmt.Sprintf("register that entry point instead; if not, declare %s in the manifest", r.EntryPoint)
			}
			return fmt.Sprintf("declare it: bgtask manifest add --entry-point %s --type %s", safetext.ShellWord(r.EntryPoint), r.Trigger.RequiredTaskType())
		},
	}
}
