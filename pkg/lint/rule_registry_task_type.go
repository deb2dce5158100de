package lint

import (
	"fmt"

	"github.com/bgtask/bgtask/internal/safetext"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// newRuleRegistryTaskType reports a registration whose trigger needs a task
// type its declared entry point lacks.
func newRuleRegistryTaskType() Rule {
	return registryProblemRule{
		RuleBase: RuleBase{RuleInfo{
			ID:       "BT016",
			Name:     "registry-task-type-not-declared",
			Severity: SeverityError,
			Short:    "a registration whose trigger needs a Task Type its declaration lacks",
			What: `A registration's trigger needs a task type declared for its entry point:
PushNotificationTrigger needs pushNotification, TimeTrigger timer, SystemTrigger
systemEvent, ApplicationTrigger and MaintenanceTrigger general.`,
			Why: `Windows refuses to register a trigger whose task type the manifest does not
declare for that entry point ("every trigger type used must be declared").`,
			Fix:          `Add the type to the declaration: bgtask manifest add --entry-point NS.Class --type T (or <Task Type="T"/> in its BackgroundTasks).`,
			Source:       `docs/windows.md "Registration" (trigger to task type). ApplicationTrigger → general is documented by example only; bgtask requires it.`,
			needsProject: true,
		}},
		code: tasks.ProblemTaskTypeNotDeclared,
		fix: func(r tasks.Registration, _ tasks.Problem) string {
			return fmt.Sprintf("declare it: bgtask manifest add --entry-point %s --type %s", safetext.ShellWord(r.EntryPoint), r.Trigger.RequiredTaskType())
		},
	}
}
