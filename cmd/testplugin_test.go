package cmd

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// testPluginMain is "bgtask-testplugin", a task plugin built on the SDK
// whose behaviour the registration's plugin arguments choose, so scripts
// register real plugins without a compiler:
//
//	ok            complete at once
//	fail TEXT     Run returns an error with TEXT
//	panic         Run panics
//	hang          ignore cancellation and never return
//	sleep D       work for D under a deferral, stopping when cancelled
//	progress      report 20, 40, ... 100 under a deferral
//	spin          burn CPU under a deferral until cancelled
//	forget        start work that logs, and return without a deferral
//	chatty FILE   append "start" to FILE, then log without end, ignoring
//	              cancellation
//	record FILE   write the notification's bytes to FILE and what else the
//	              instance saw to FILE.json, then complete
//	events FILE   append "start NANOS" and "end NANOS" lines to FILE around
//	              a 150ms deferral (for the one-task-per-app check)
//
// Every entry point of testdata/registry's manifest is served.
func testPluginMain() {
	args := os.Args[1:]
	mode := ""
	if len(args) > 0 {
		mode, args = args[0], args[1:]
	}
	arg := func() string {
		if len(args) == 0 {
			fmt.Fprintf(os.Stderr, "bgtask-testplugin: mode %s needs an argument\n", mode)
			os.Exit(2)
		}
		return args[0]
	}
	task := plugin.TaskFunc(func(ctx context.Context, inst *plugin.Instance) error {
		switch mode {
		case "ok":
			return nil
		case "fail":
			return errors.New(arg())
		case "panic":
			panic("the task panicked on purpose")
		case "hang":
			select {}
		case "sleep":
			d, err := time.ParseDuration(arg())
			if err != nil {
				return err
			}
			return underDeferral(inst, func() error {
				fmt.Fprintln(os.Stderr, "working")
				select {
				case <-time.After(d):
					return nil
				case <-ctx.Done():
					fmt.Fprintf(os.Stderr, "cancelled: %s\n", inst.CancelReason())
					return nil
				}
			})
		case "progress":
			return underDeferral(inst, func() error {
				for p := uint32(20); p <= 100; p += 20 {
					time.Sleep(10 * time.Millisecond)
					inst.SetProgress(p)
				}
				return nil
			})
		case "spin":
			return underDeferral(inst, func() error {
				for ctx.Err() == nil {
					for i := 0; i < 1e6; i++ {
						_ = i * i
					}
				}
				fmt.Fprintf(os.Stderr, "cancelled: %s\n", inst.CancelReason())
				return nil
			})
		case "chatty":
			// Notes its start in FILE, then logs without end, ignoring
			// cancellation: killed at the end of the grace period.
			appendLine(arg(), "start")
			line := strings.Repeat("log line ", 20)
			for {
				fmt.Fprintln(os.Stderr, line)
			}
		case "forget":
			go func() {
				for i := 1; ; i++ {
					time.Sleep(20 * time.Millisecond)
					fmt.Fprintf(os.Stderr, "still working after Run returned (%d)\n", i)
				}
			}()
			return nil
		case "record":
			file := arg()
			n, _ := inst.RawNotification()
			seen := map[string]any{"name": inst.Name(), "taskId": inst.TaskID(), "instanceId": inst.InstanceID(),
				"entryPoint": inst.EntryPoint(), "triggerKind": inst.TriggerKind(), "triggerDetailsNil": inst.TriggerDetails() == nil}
			if n != nil {
				seen["content"], seen["headers"], seen["channelId"] = n.Content, n.Headers, n.ChannelID
				if err := os.WriteFile(file, n.ContentBytes, 0o644); err != nil {
					return err
				}
			}
			data, _ := json.MarshalIndent(seen, "", "  ")
			return os.WriteFile(file+".json", data, 0o644)
		case "events":
			file := arg()
			return underDeferral(inst, func() error {
				appendLine(file, "start "+strconv.FormatInt(time.Now().UnixNano(), 10))
				time.Sleep(150 * time.Millisecond)
				appendLine(file, "end "+strconv.FormatInt(time.Now().UnixNano(), 10))
				return nil
			})
		}
		return fmt.Errorf("bgtask-testplugin: unknown mode %q", mode)
	})
	tasks := map[string]plugin.Task{}
	for _, ep := range []string{"Tasks.ExampleBackgroundTask", "Tasks.OtherTask", "Tasks.SyncTask"} {
		tasks[ep] = task
	}
	plugin.Serve(tasks)
}

// underDeferral runs work asynchronously under a deferral, as a task that
// does async work must (its Run returns at once).
func underDeferral(inst *plugin.Instance, work func() error) error {
	d := inst.GetDeferral()
	go func() {
		defer d.Complete()
		if err := work(); err != nil {
			fmt.Fprintln(os.Stderr, err)
		}
	}()
	return nil
}

func appendLine(file, line string) {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return
	}
	defer f.Close()
	fmt.Fprintln(f, line)
}

// noOverlap is the testscript command "nooverlap FILE": the start/end pairs
// the events mode wrote describe intervals that never overlap.
func noOverlap(lines string) error {
	var lastEnd int64
	open := false
	for _, line := range strings.Split(strings.TrimSpace(lines), "\n") {
		kind, at, _ := strings.Cut(line, " ")
		t, err := strconv.ParseInt(at, 10, 64)
		if err != nil {
			return fmt.Errorf("bad line %q", line)
		}
		switch kind {
		case "start":
			if open {
				return fmt.Errorf("an instance started at %d while another was still running", t)
			}
			if t < lastEnd {
				return fmt.Errorf("an instance started at %d before the previous one ended at %d", t, lastEnd)
			}
			open = true
		case "end":
			open, lastEnd = false, t
		}
	}
	return nil
}
