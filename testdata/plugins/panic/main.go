// Command panic is a task plugin whose tasks panic: in Run (the SDK reports a
// failed instance) and in a goroutine (nothing can recover; the process dies).
package main

import (
	"context"
	"runtime"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

func main() {
	plugin.Serve(map[string]plugin.Task{
		"Tasks.Panic": plugin.TaskFunc(func(context.Context, *plugin.Instance) error {
			var m map[string]int
			m["boom"]++
			return nil
		}),
		"Tasks.GoroutinePanic": plugin.TaskFunc(func(context.Context, *plugin.Instance) error {
			go panic("unrecoverable")
			time.Sleep(10 * time.Second)
			return nil
		}),
		// runtime.Goexit instead of a return: no panic, no error.
		"Tasks.Goexit": plugin.TaskFunc(func(context.Context, *plugin.Instance) error {
			runtime.Goexit()
			return nil
		}),
		// The pattern plugin new scaffolds, with work that panics: the
		// deferred Complete runs during the panic.
		"Tasks.DeferralPanic": plugin.TaskFunc(func(_ context.Context, inst *plugin.Instance) error {
			d := inst.GetDeferral()
			go func() {
				defer d.Complete()
				time.Sleep(20 * time.Millisecond)
				var m map[string]int
				m["boom"]++
			}()
			return nil
		}),
	})
}
