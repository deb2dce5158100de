// Command settle is a task plugin whose tasks leave goroutines behind, or
// seem to: the SDK must tell abandoned work from the standard library's own
// goroutines on their way out or idle.
//
//	Tasks.SyncExec       runs a child process to its end with exec.CommandContext
//	                     (its context watcher exits just after Run returns)
//	Tasks.KeepAlive      GETs the URL given as the plugin's first argument with
//	                     the default client, keeping the connection idle
//	Tasks.EarlyComplete  completes its deferral when Run returns, while a
//	                     goroutine still works: the work is lost
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "child" {
		return // the child process of Tasks.SyncExec
	}
	plugin.Serve(map[string]plugin.Task{
		"Tasks.SyncExec": plugin.TaskFunc(func(ctx context.Context, _ *plugin.Instance) error {
			self, err := os.Executable()
			if err != nil {
				return err
			}
			return exec.CommandContext(ctx, self, "child").Run()
		}),
		"Tasks.KeepAlive": plugin.TaskFunc(func(ctx context.Context, _ *plugin.Instance) error {
			if len(os.Args) < 2 {
				return fmt.Errorf("give the URL to GET as the plugin's argument")
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, os.Args[1], nil)
			if err != nil {
				return err
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				return err
			}
			defer resp.Body.Close()
			_, err = io.Copy(io.Discard, resp.Body)
			return err
		}),
		"Tasks.EarlyComplete": plugin.TaskFunc(func(_ context.Context, inst *plugin.Instance) error {
			d := inst.GetDeferral()
			defer d.Complete()
			go func() {
				time.Sleep(200 * time.Millisecond)
				fmt.Fprintln(os.Stderr, "order uploaded")
			}()
			return nil
		}),
	})
}
