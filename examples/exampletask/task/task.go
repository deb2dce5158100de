// Package task is the seed app's background task, Tasks.ExampleBackgroundTask,
// written against pkg/plugin. examples/exampletask builds it as a plugin
// executable; the bgtask binary serves it too (bgtask plugin check --example),
// so trying bgtask needs no compiler.
package task

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// EntryPoint is the manifest's and the registration's entry point for the task.
const EntryPoint = "Tasks.ExampleBackgroundTask"

// Tasks is what the example plugin serves; the task logs to log (the
// plugin's stderr).
func Tasks(log io.Writer) map[string]plugin.Task {
	return map[string]plugin.Task{EntryPoint: &ExampleBackgroundTask{Step: 50 * time.Millisecond, Log: log}}
}

// ExampleBackgroundTask does what a typical push-triggered task does: read
// the raw notification, then do asynchronous work (here, four steps of Step)
// under a deferral, reporting progress, and stop early when cancelled.
type ExampleBackgroundTask struct {
	Step time.Duration
	Log  io.Writer // the task's log: stderr in a plugin
}

// Run is IBackgroundTask.Run.
func (t *ExampleBackgroundTask) Run(ctx context.Context, inst *plugin.Instance) error {
	content := "(no notification: not a push trigger)"
	if n, ok := inst.RawNotification(); ok {
		content = fmt.Sprintf("%q (%d bytes)", n.Content, len(n.ContentBytes))
	}
	fmt.Fprintf(t.Log, "received %s\n", content)

	// Without this deferral the process would end as soon as Run returns and
	// the work below would be lost (docs/windows.md, "A task instance at run time").
	deferral := inst.GetDeferral()
	go func() {
		defer deferral.Complete()
		for step := uint32(1); step <= 4; step++ {
			select {
			case <-ctx.Done():
				fmt.Fprintf(t.Log, "canceled (%s) after %d of 4 steps\n", inst.CancelReason(), step-1)
				return
			case <-time.After(t.Step):
			}
			inst.SetProgress(step * 25)
		}
		fmt.Fprintln(t.Log, "notification processed")
	}()
	return nil
}
