package cmd

import (
	"time"

	"github.com/bgtask/bgtask/pkg/tasks"
)

// taskJSON is one registration in --json output (tasks, register,
// unregister). Its fields are documented in docs/json.md and only ever
// grow: scripts rely on them.
type taskJSON struct {
	TaskID                string   `json:"taskId"`
	Name                  string   `json:"name"`
	EntryPoint            string   `json:"entryPoint"`
	Trigger               string   `json:"trigger"`
	TriggerClass          string   `json:"triggerClass"`
	TaskType              string   `json:"taskType"`
	Conditions            []string `json:"conditions"`
	CancelOnConditionLoss bool     `json:"cancelOnConditionLoss"`
	Plugin                string   `json:"plugin"`
	PluginPath            string   `json:"pluginPath"`
	PluginArgs            []string `json:"pluginArgs"`
	ExamplePlugin         bool     `json:"examplePlugin"`
	Registered            string   `json:"registered"`
}

// newTaskJSON describes r, a registration of the registry at registryPath.
func newTaskJSON(registryPath string, r tasks.Registration) taskJSON {
	return taskJSON{
		TaskID:                r.TaskID.String(),
		Name:                  r.Name,
		EntryPoint:            r.EntryPoint,
		Trigger:               r.Trigger.String(),
		TriggerClass:          r.Trigger.WindowsName(),
		TaskType:              r.Trigger.RequiredTaskType(),
		Conditions:            r.ConditionNames(),
		CancelOnConditionLoss: r.CancelOnConditionLoss,
		Plugin:                r.Plugin,
		PluginPath:            tasks.ResolvePlugin(registryPath, r.Plugin),
		PluginArgs:            append([]string{}, r.PluginArgs...),
		ExamplePlugin:         r.ExamplePlugin,
		Registered:            r.Registered.UTC().Format(time.RFC3339),
	}
}
