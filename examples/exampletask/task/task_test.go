package task

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// host runs the example task through the SDK in-process and returns what it
// said on the protocol and in its log.
func host(t *testing.T, step time.Duration, cancelReason string) ([]plugin.Message, string) {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	var log bytes.Buffer
	task := &ExampleBackgroundTask{Step: step, Log: &log}
	done := make(chan int, 1)
	go func() {
		done <- plugin.ServeStreams(context.Background(), inR, outW, io.Discard, map[string]plugin.Task{EntryPoint: task})
		outW.Close()
	}()
	defer inW.Close()
	send := func(m plugin.Message) {
		line, _ := plugin.EncodeMessage(m)
		inW.Write(line)
	}
	dec := plugin.NewDecoder(outR, 0)
	if _, err := dec.Next(); err != nil {
		t.Fatal(err)
	}
	send(&plugin.Run{InstanceID: "i", Registration: plugin.Registration{EntryPoint: EntryPoint},
		Trigger: plugin.Trigger{Kind: plugin.TriggerPush, Push: &plugin.RawNotification{Content: "hi", ContentBytes: []byte("hi")}}})
	if cancelReason != "" {
		send(&plugin.Cancel{InstanceID: "i", Reason: cancelReason})
	}
	var msgs []plugin.Message
	for {
		m, err := dec.Next()
		if err != nil {
			break
		}
		msgs = append(msgs, m)
	}
	if code := <-done; code != 0 {
		t.Fatalf("exit status %d", code)
	}
	return msgs, log.String()
}

func TestExampleTaskReportsProgressUnderADeferral(t *testing.T) {
	msgs, log := host(t, time.Millisecond, "")
	var types []string
	for _, m := range msgs {
		if p, ok := m.(*plugin.Progress); ok {
			types = append(types, fmt.Sprint(p.Percent))
			continue
		}
		types = append(types, m.Type())
	}
	want := "deferral_taken 25 50 75 100 deferral_completed completion"
	if got := strings.Join(types, " "); got != want {
		t.Fatalf("messages: %s\nwant:     %s", got, want)
	}
	if c := msgs[len(msgs)-1].(*plugin.Completion); !c.Success {
		t.Fatalf("completion = %+v", c)
	}
	if !strings.Contains(log, `received "hi" (2 bytes)`) || !strings.Contains(log, "notification processed") {
		t.Fatalf("log = %q", log)
	}
}

func TestExampleTaskStopsWhenCanceled(t *testing.T) {
	msgs, log := host(t, time.Hour, "ExecutionTimeExceeded")
	if c, ok := msgs[len(msgs)-1].(*plugin.Completion); !ok || !c.Success {
		t.Fatalf("last message = %#v", msgs[len(msgs)-1])
	}
	if !strings.Contains(log, "canceled (ExecutionTimeExceeded) after 0 of 4 steps") {
		t.Fatalf("log = %q", log)
	}
}
