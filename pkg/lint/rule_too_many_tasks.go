package lint

import "github.com/bgtask/bgtask/pkg/manifest"

// ruleTooManyTasks reports a BackgroundTasks element with more Task elements
// than its generation allows.
type ruleTooManyTasks struct{ RuleBase }

func newRuleTooManyTasks() Rule {
	return ruleTooManyTasks{RuleBase{RuleInfo{
		ID:       "BT007",
		Name:     "too-many-tasks",
		Severity: SeverityError,
		Short:    "more Task elements in one Extension than the generation allows (5, 8 or 17)",
		What: `One BackgroundTasks element holds at most: 5 Tasks on Windows 8 (appx/2010,
OSMinVersion 6.2); 8 on Windows 8.1 and Windows Phone 8.1 (m2 or m3 in use, or
OSMinVersion 6.3), counting Task and m2:Task/m3:Task together (the schema's
TaskChoice); 17 on Windows 10, counted per element: up to 17 Task and up to 17
uap:Task (the schema lists Task{1,17} and uap:Task{1,17}; iot:Task is counted
on its own too).`,
		Why:    `The schema's maxOccurs makes the package fail to build past the limit.`,
		Fix:    `Split the task types over several Extensions (each with its own EntryPoint), or drop the types the task does not use.`,
		Source: `windows-facts.md §1 "The BackgroundTasks element" (Windows 8 Task{1,5}, 8.1 TaskChoice{1,8}, Windows 10 Task{1,17}) and §8.`,
	}}}
}

func (r ruleTooManyTasks) Check(p *Pass) {
	limit, label := p.maxTasks()
	if limit == 0 {
		return
	}
	perNamespace := p.Doc.Generation() == manifest.GenWin10
	for _, d := range p.Declarations() {
		// Windows 8.x counts every Task element of the substitution group
		// together; Windows 10 counts each element (Task, uap:Task) apart.
		groups := map[string][]manifest.TaskDecl{}
		var order []string
		for _, t := range d.Tasks {
			key := ""
			if perNamespace {
				key = t.Namespace
			}
			if _, ok := groups[key]; !ok {
				order = append(order, key)
			}
			groups[key] = append(groups[key], t)
		}
		for _, key := range order {
			tasks := groups[key]
			if len(tasks) <= limit {
				continue
			}
			what := "Task elements"
			if perNamespace {
				what = taskElementLabel(key) + " elements"
			}
			p.Reportf(tasks[limit].Pos, "this Extension declares %d %s; %s allows at most %d per Extension: move the rest to another Extension",
				len(tasks), what, label, limit)
		}
	}
}

// taskElementLabel names the Task element of a namespace as users write it.
func taskElementLabel(ns string) string {
	for _, n := range taskNamespacesFor(manifest.GenWin10) {
		if n.uri == ns {
			return n.label
		}
	}
	return "Task"
}
