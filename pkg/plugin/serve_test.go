package plugin

import (
	"bytes"
	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// session drives serve in-process as a host would.
type session struct {
	t      *testing.T
	toPlug *io.PipeWriter
	msgs   *Decoder
	done   chan int
	log    *syncBuffer
}

type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func startSession(t *testing.T, tasks map[string]Task) *session {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	s := &session{t: t, toPlug: inW, msgs: NewDecoder(outR, 0), done: make(chan int, 1), log: &syncBuffer{}}
	go func() {
		code := serve(context.Background(), inR, outW, s.log, tasks)
		outW.Close()
		s.done <- code
	}()
	t.Cleanup(func() { inW.Close(); outR.Close() })
	return s
}

func (s *session) send(m Message) {
	s.t.Helper()
	line, err := EncodeMessage(m)
	if err != nil {
		s.t.Fatal(err)
	}
	if _, err := s.toPlug.Write(line); err != nil {
		s.t.Fatalf("sending %s: %v", m.Type(), err)
	}
}

func (s *session) next() Message {
	s.t.Helper()
	m, err := s.msgs.Next()
	if err != nil {
		s.t.Fatalf("reading from plugin: %v (log: %s)", err, s.log)
	}
	return m
}

// until reads messages until one of type T, returning it and what came before.
func until[T Message](s *session) (T, []Message) {
	s.t.Helper()
	var before []Message
	for {
		m := s.next()
		if t, ok := m.(T); ok {
			return t, before
		}
		before = append(before, m)
	}
}

func (s *session) exitCode() int {
	s.t.Helper()
	select {
	case code := <-s.done:
		return code
	case <-time.After(5 * time.Second):
		s.t.Fatal("serve did not return")
		return -1
	}
}

func pushRun(entryPoint, content string) *Run {
	return &Run{
		InstanceID:   "instance-1",
		Registration: Registration{Name: "reg", TaskID: "task-1", EntryPoint: entryPoint},
		Trigger: Trigger{Kind: TriggerPush, Push: &RawNotification{
			Content: content, ContentBytes: []byte(content), Headers: map[string]string{"X-A": "b"},
		}},
	}
}

func TestServeHandshakeListsEntryPointsSorted(t *testing.T) {
	noop := TaskFunc(func(context.Context, *Instance) error { return nil })
	s := startSession(t, map[string]Task{"B.Task": noop, "A.Task": noop})
	hs, ok := s.next().(*Handshake)
	if !ok || hs.Protocol != ProtocolVersion || strings.Join(hs.EntryPoints, ",") != "A.Task,B.Task" {
		t.Fatalf("handshake = %+v", hs)
	}
	s.send(&Describe{})
	d, ok := s.next().(*Description)
	if !ok || strings.Join(d.EntryPoints, ",") != "A.Task,B.Task" {
		t.Fatalf("description = %+v", d)
	}
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

func TestServeExitsWhenHostGivesUpBeforeRequest(t *testing.T) {
	s := startSession(t, map[string]Task{})
	s.next()
	s.toPlug.Close()
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
}

func TestServeIgnoresUnknownAndBadHostLines(t *testing.T) {
	var got string
	s := startSession(t, map[string]Task{"T": TaskFunc(func(_ context.Context, inst *Instance) error {
		n, _ := inst.RawNotification()
		got = n.Content
		return nil
	})})
	s.next()
	io.WriteString(s.toPlug, "{\"type\":\"from_the_future\"}\nnot json\n\n")
	s.send(pushRun("T", "hi"))
	c, _ := until[*Completion](s)
	if !c.Success || got != "hi" {
		t.Fatalf("completion %+v, content %q", c, got)
	}
	if !strings.Contains(s.log.String(), "bad line") {
		t.Errorf("log does not mention the bad line: %s", s.log)
	}
}

func TestServeRunPassesInstanceData(t *testing.T) {
	var inst *Instance
	s := startSession(t, map[string]Task{"T": TaskFunc(func(_ context.Context, i *Instance) error {
		inst = i
		return nil
	})})
	s.next()
	s.send(pushRun("T", "payload"))
	until[*Completion](s)
	n, ok := inst.TriggerDetails().(*RawNotification)
	if !ok || n.Content != "payload" || string(n.ContentBytes) != "payload" || n.Headers["X-A"] != "b" {
		t.Fatalf("trigger details = %#v", inst.TriggerDetails())
	}
	if inst.InstanceID() != "instance-1" || inst.Name() != "reg" || inst.EntryPoint() != "T" || inst.TaskID() != "task-1" {
		t.Fatalf("instance = %+v", inst.run)
	}
}

func TestServeTriggerDetailsNilForNonPush(t *testing.T) {
	var details any = "unset"
	s := startSession(t, map[string]Task{"T": TaskFunc(func(_ context.Context, i *Instance) error {
		details = i.TriggerDetails()
		return nil
	})})
	s.next()
	s.send(&Run{InstanceID: "i", Registration: Registration{EntryPoint: "T"}, Trigger: Trigger{Kind: TriggerTime}})
	until[*Completion](s)
	// windows-facts.md §4: TriggerDetails is unused for system and time events.
	if details != nil {
		t.Fatalf("TriggerDetails = %#v, want nil", details)
	}
}

func TestServeRunErrorIsFailedCompletion(t *testing.T) {
	s := startSession(t, map[string]Task{"T": TaskFunc(func(context.Context, *Instance) error {
		return errors.New("database unreachable")
	})})
	s.next()
	s.send(pushRun("T", ""))
	c, _ := until[*Completion](s)
	if c.Success || c.Error != "database unreachable" {
		t.Fatalf("completion = %+v", c)
	}
}

func TestServePanicIsFailedCompletionWithStackInLog(t *testing.T) {
	s := startSession(t, map[string]Task{"T": TaskFunc(func(context.Context, *Instance) error {
		panic("nil map")
	})})
	s.next()
	s.send(pushRun("T", ""))
	c, _ := until[*Completion](s)
	if c.Success || c.Error != "panic: nil map" {
		t.Fatalf("completion = %+v", c)
	}
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	if !strings.Contains(s.log.String(), "goroutine") {
		t.Errorf("no stack in log: %s", s.log)
	}
}

func TestServeUnknownEntryPointFails(t *testing.T) {
	s := startSession(t, map[string]Task{"Tasks.A": TaskFunc(func(context.Context, *Instance) error { return nil })})
	s.next()
	s.send(pushRun("Task.A", ""))
	c, _ := until[*Completion](s)
	if c.Success || !strings.Contains(c.Error, `"Task.A"`) || !strings.Contains(c.Error, "Tasks.A") {
		t.Fatalf("completion = %+v", c)
	}
}

// windows-facts.md §4: the instance is kept alive after Run returns until every
// deferral taken has been completed.
func TestServeCompletionWaitsForDeferrals(t *testing.T) {
	release := make(chan struct{})
	s := startSession(t, map[string]Task{"T": TaskFunc(func(_ context.Context, inst *Instance) error {
		d := inst.GetDeferral()
		go func() {
			<-release
			inst.SetProgress(150) // clamped to 100
			d.Complete()
			d.Complete() // harmless
		}()
		return nil
	})})
	s.next()
	s.send(pushRun("T", ""))
	if _, ok := s.next().(*DeferralTaken); !ok {
		t.Fatal("first message is not deferral_taken")
	}
	close(release)
	c, before := until[*Completion](s)
	if !c.Success {
		t.Fatalf("completion = %+v", c)
	}
	if len(before) != 2 {
		t.Fatalf("before completion: %#v, want progress and one deferral_completed", before)
	}
	if p, ok := before[0].(*Progress); !ok || p.Percent != 100 {
		t.Fatalf("progress = %#v", before[0])
	}
	if _, ok := before[1].(*DeferralCompleted); !ok {
		t.Fatalf("second = %#v", before[1])
	}
}

// windows-facts.md §4: work started without a deferral is lost once Run returns.
func TestServeCompletesWithoutWaitingForUndeferredWork(t *testing.T) {
	release, worked := make(chan struct{}), make(chan struct{})
	s := startSession(t, map[string]Task{"T": TaskFunc(func(_ context.Context, inst *Instance) error {
		go func() { <-release; inst.SetProgress(50); close(worked) }()
		return nil
	})})
	s.next()
	s.send(pushRun("T", ""))
	c, before := until[*Completion](s)
	if !c.Success || len(before) != 0 {
		t.Fatalf("completion %+v after %v", c, before)
	}
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	// The work runs only now, after the completion: its progress is lost,
	// not even tried (a try would fail on the closed stream and say so).
	close(release)
	<-worked
	if strings.Contains(s.log.String(), "sending") {
		t.Fatalf("tried to send after completion; log: %s", s.log)
	}
}

func TestServeCancelCarriesReason(t *testing.T) {
	s := startSession(t, map[string]Task{"T": TaskFunc(func(ctx context.Context, inst *Instance) error {
		<-ctx.Done()
		if inst.CancelReason() != CancelExecutionTimeExceeded {
			return errors.New("reason " + inst.CancelReason().String())
		}
		return nil
	})})
	s.next()
	s.send(pushRun("T", ""))
	s.send(&Cancel{InstanceID: "instance-1", Reason: "ExecutionTimeExceeded"})
	c, _ := until[*Completion](s)
	if !c.Success {
		t.Fatalf("completion = %+v", c)
	}
}

func TestServeHostGoneIsAbort(t *testing.T) {
	reason := make(chan CancelReason, 1)
	s := startSession(t, map[string]Task{"T": TaskFunc(func(ctx context.Context, inst *Instance) error {
		<-ctx.Done()
		reason <- inst.CancelReason()
		return ctx.Err()
	})})
	s.next()
	s.send(pushRun("T", ""))
	s.send(&Cancel{InstanceID: "another-instance", Reason: "Uninstall"}) // not ours: ignored
	s.toPlug.Close()
	if r := <-reason; r != CancelAbort {
		t.Fatalf("reason = %v", r)
	}
	if c, _ := until[*Completion](s); c.Success || c.Error != "context canceled" {
		t.Fatalf("completion = %+v", c)
	}
	s.exitCode()
}

// Windows reports one reason per cancellation; the host going away after its
// cancel must not rewrite the reason a task is still acting on.
func TestServeCancelReasonIsTheFirst(t *testing.T) {
	canceled, release := make(chan struct{}), make(chan struct{})
	s := startSession(t, map[string]Task{"T": TaskFunc(func(ctx context.Context, inst *Instance) error {
		<-ctx.Done()
		close(canceled)
		<-release
		return errors.New("stopped: " + inst.CancelReason().String())
	})})
	s.next()
	s.send(pushRun("T", ""))
	s.send(&Cancel{InstanceID: "instance-1", Reason: "ExecutionTimeExceeded"})
	<-canceled
	s.send(&Cancel{InstanceID: "instance-1", Reason: "Uninstall"}) // a host sends one; a second changes nothing
	s.toPlug.Close()
	time.Sleep(50 * time.Millisecond) // let the SDK read both and the end of file
	close(release)
	if c, _ := until[*Completion](s); c.Error != "stopped: ExecutionTimeExceeded" {
		t.Fatalf("completion = %+v", c)
	}
	s.exitCode()
}

// After a failed Run the instance is over: a goroutine still holding the
// instance may complete its deferral, report progress and take another
// deferral; none of it is sent, none of it panics or blocks.
func TestServeUseAfterFailedRunIsHarmless(t *testing.T) {
	late := make(chan struct{})
	s := startSession(t, map[string]Task{"T": TaskFunc(func(_ context.Context, inst *Instance) error {
		d := inst.GetDeferral()
		go func() {
			time.Sleep(20 * time.Millisecond) // after the completion
			d.Complete()
			inst.SetProgress(10)
			inst.GetDeferral().Complete()
			close(late)
		}()
		return errors.New("gave up")
	})})
	s.next()
	s.send(pushRun("T", ""))
	c, before := until[*Completion](s)
	if c.Success || c.Error != "gave up" || len(before) != 1 {
		t.Fatalf("completion %+v after %v", c, before)
	}
	<-late
	s.toPlug.Close()
	if code := s.exitCode(); code != 0 {
		t.Fatalf("exit code %d", code)
	}
	if m, err := s.msgs.Next(); err == nil {
		t.Fatalf("sent after completion: %#v", m)
	}
	// Not even tried: a try would fail on the closed stream and say so.
	if strings.Contains(s.log.String(), "sending") {
		t.Fatalf("tried to send after completion; log: %s", s.log)
	}
}

// An error text of any size must reach the host as a failure, not break the
// 1 MiB line limit and turn into a protocol error.
func TestServeHugeErrorTextIsCut(t *testing.T) {
	huge := strings.Repeat("é", MaxLineBytes) // 2 MiB of two-byte runes
	s := startSession(t, map[string]Task{"T": TaskFunc(func(context.Context, *Instance) error {
		return errors.New(huge)
	})})
	s.next()
	s.send(pushRun("T", ""))
	c, _ := until[*Completion](s)
	if c.Success || len(c.Error) > maxErrorBytes+100 || !strings.HasPrefix(c.Error, "éé") ||
		!strings.HasSuffix(c.Error, "[error text cut at 65536 bytes]") || !utf8.ValidString(c.Error) {
		t.Fatalf("completion error of %d bytes ending %q", len(c.Error), c.Error[max(0, len(c.Error)-40):])
	}
	s.exitCode()
}

func TestServeLineTooLongFromHostExits1(t *testing.T) {
	s := startSession(t, map[string]Task{})
	s.next()
	go func() {
		chunk := bytes.Repeat([]byte("x"), 64<<10)
		for i := 0; i <= MaxLineBytes/len(chunk)+1; i++ {
			if _, err := s.toPlug.Write(chunk); err != nil {
				return
			}
		}
	}()
	if code := s.exitCode(); code != 1 {
		t.Fatalf("exit code %d, want 1", code)
	}
}

func TestCancelReasonNamesMatchWindows(t *testing.T) {
	// windows-facts.md §4: BackgroundTaskCancellationReason values 0-11.
	want := []string{"Abort", "Terminating", "LoggingOff", "ServicingUpdate", "IdleTask", "Uninstall",
		"ConditionLoss", "SystemPolicy", "QuietHoursEntered", "ExecutionTimeExceeded", "ResourceRevocation", "EnergySaver"}
	for i, name := range want {
		r := CancelReason(i)
		if r.String() != name {
			t.Errorf("CancelReason(%d) = %s, want %s", i, r, name)
		}
		if p, ok := ParseCancelReason(name); !ok || p != r {
			t.Errorf("ParseCancelReason(%s) = %v, %v", name, p, ok)
		}
	}
	if s := CancelReason(12).String(); s != "CancelReason(12)" {
		t.Errorf("unknown = %s", s)
	}
	if r, ok := ParseCancelReason("Nope"); ok || r != CancelAbort {
		t.Errorf("ParseCancelReason(Nope) = %v, %v", r, ok)
	}
}
