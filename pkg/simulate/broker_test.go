package simulate

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/bgtask/bgtask/internal/fsutil"
	"github.com/bgtask/bgtask/pkg/plugin"
	"github.com/bgtask/bgtask/pkg/tasks"
)

// register adds a registration to the registry at path, run by a test
// plugin built from testdata/plugins.
func register(t *testing.T, path, name, entryPoint, trigger, pluginName string, conditions ...string) {
	t.Helper()
	tr, err := tasks.ParseTrigger(trigger)
	if err != nil {
		t.Fatal(err)
	}
	conds, err := tasks.ParseConditions(conditions)
	if err != nil {
		t.Fatal(err)
	}
	req := tasks.Request{Name: name, EntryPoint: entryPoint, Trigger: tr, Conditions: conds, CancelOnConditionLoss: len(conds) > 0}
	if pluginName != "" {
		req.Plugin = testPlugin(pluginName).Path
	}
	if _, err := tasks.Register(context.Background(), path, req, tasks.RegisterOptions{}); err != nil {
		t.Fatal(err)
	}
}

func payload(s string) Notification { return Notification{Payload: []byte(s)} }

// windows-facts.md §6 "Size": WNS refuses an empty body and one over 5000
// bytes; exactly 5000 is accepted (bgtask's documented reading).
func TestNotificationValidateLimits(t *testing.T) {
	for _, tc := range []struct {
		size int
		ok   bool
		want string
	}{
		{0, false, "the payload is empty: WNS refuses a raw notification without a body (HTTP 400)"},
		{1, true, ""},
		{5000, true, ""},
		{5001, false, "the payload is 5001 bytes, over WNS's 5000-byte limit for a raw notification (HTTP 413)"},
	} {
		err := Notification{Payload: make([]byte, tc.size)}.Validate()
		if (err == nil) != tc.ok {
			t.Errorf("%d bytes: err = %v, want ok=%t", tc.size, err, tc.ok)
			continue
		}
		var pe *PayloadError
		if err != nil && (!errors.As(err, &pe) || err.Error() != tc.want) {
			t.Errorf("%d bytes: %q, want %q", tc.size, err, tc.want)
		}
	}
}

// The protocol carries the exact bytes and the text; invalid UTF-8 becomes
// U+FFFD in the text only (docs/protocol.md, "run").
func TestNotificationRawKeepsBytes(t *testing.T) {
	n := Notification{Payload: []byte{0xff, 'a', 0}, ChannelID: "ch", Headers: map[string]string{"B": "2", "A": "1"}}
	line, err := plugin.EncodeMessage(&plugin.Run{InstanceID: "i", Registration: plugin.Registration{Name: "n", TaskID: "t", EntryPoint: "E"},
		Trigger: plugin.Trigger{Kind: plugin.TriggerPush, Push: n.raw()}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"content":"\ufffda\u0000"`, `"content_bytes":"/2EA"`, `"channel_id":"ch"`, `"headers":{"A":"1","B":"2"}`} {
		if !strings.Contains(string(line), want) {
			t.Errorf("run line %s lacks %s", line, want)
		}
	}
	if got := strings.Join(n.HeaderNames(), ","); got != "A,B" {
		t.Errorf("HeaderNames = %s, want A,B", got)
	}
}

func TestParseConditionState(t *testing.T) {
	ia, ina := tasks.SystemConditionType(3), tasks.SystemConditionType(4)
	free := tasks.SystemConditionType(7)
	for _, tc := range []struct {
		specs    []string
		holds    map[tasks.SystemConditionType]bool
		settings string
		err      string
	}{
		{specs: nil, holds: map[tasks.SystemConditionType]bool{ia: true, ina: true, free: true}},
		{specs: []string{"InternetAvailable=false"}, holds: map[tasks.SystemConditionType]bool{ia: false, ina: true, free: true},
			settings: "InternetAvailable=false"},
		{specs: []string{"internetnotavailable=TRUE"}, holds: map[tasks.SystemConditionType]bool{ia: false, ina: true},
			settings: "InternetNotAvailable=true"},
		{specs: []string{"FreeNetworkAvailable=0, UserPresent=1"}, holds: map[tasks.SystemConditionType]bool{free: false, 1: true, 2: false},
			settings: "UserPresent=true,FreeNetworkAvailable=false"},
		{specs: []string{"InternetAvailable=true", "InternetAvailable=true"}, holds: map[tasks.SystemConditionType]bool{ia: true, ina: false},
			settings: "InternetAvailable=true"},
		{specs: []string{"InternetAvailable=true", "InternetNotAvailable=false"}, holds: map[tasks.SystemConditionType]bool{ia: true, ina: false}},
		{specs: []string{"InternetAvailable=true,InternetAvailable=false"}, err: "InternetAvailable is set both true and false"},
		{specs: []string{"UserPresent=false,UserNotPresent=false"}, err: "UserNotPresent and UserPresent cannot both be false"},
		{specs: []string{"Invalid=true"}, err: "Invalid is not a SystemConditionType"},
		{specs: []string{"Wifi=true"}, err: "Wifi is not a SystemConditionType"},
		{specs: []string{"UserPresent"}, err: "want NAME=true or NAME=false"},
		{specs: []string{"UserPresent=maybe"}, err: `"maybe" is not true or false`},
	} {
		s, err := ParseConditionState(tc.specs)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: err = %v, want %q", tc.specs, err, tc.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q: %v", tc.specs, err)
			continue
		}
		for c, want := range tc.holds {
			if got := s.Holds(c); got != want {
				t.Errorf("%q: Holds(%s) = %t, want %t", tc.specs, c, got, want)
			}
		}
		if tc.settings != "" || len(tc.holds) > 0 && tc.specs == nil {
			if got := strings.Join(s.Settings(), ","); got != tc.settings {
				t.Errorf("%q: Settings = %q, want %q", tc.specs, got, tc.settings)
			}
		}
	}
	// Losing a condition flips it and its opposite, and leaves the original alone.
	s, _ := ParseConditionState([]string{"UserPresent=true"})
	lost := s.without(ia)
	if lost.Holds(ia) || !lost.Holds(ina) || !lost.Holds(1) || !s.Holds(ia) {
		t.Errorf("without(InternetAvailable): ia=%t ina=%t userPresent=%t; original ia=%t",
			lost.Holds(ia), lost.Holds(ina), lost.Holds(1), s.Holds(ia))
	}
	if got := s.Unmet([]tasks.SystemConditionType{1, 2, 3}); len(got) != 1 || got[0] != 2 {
		t.Errorf("Unmet = %v, want [UserNotPresent]", got)
	}
}

func TestNamedPolicies(t *testing.T) {
	w10, err := NamedPolicy("windows10")
	if err != nil || w10.Timeout != 30*time.Second || w10.Grace != 5*time.Second || w10.CPUQuota != 0 {
		t.Errorf("windows10 = %+v, %v", w10, err)
	}
	w81, err := NamedPolicy("windows81")
	if err != nil || w81.Timeout != 30*time.Second || w81.Grace != 5*time.Second || w81.CPUQuota != 2*time.Second {
		t.Errorf("windows81 = %+v, %v", w81, err)
	}
	if _, err := NamedPolicy("Windows10"); err == nil {
		t.Error("policy names are exact")
	}
}

func TestProtocolTriggerKind(t *testing.T) {
	for k, want := range map[tasks.TriggerKind]string{
		tasks.TriggerPush: "push", tasks.TriggerTimer: "time", tasks.TriggerMaintenance: "maintenance",
		tasks.TriggerSystem: "system", tasks.TriggerApplication: "application",
	} {
		if got := ProtocolTriggerKind(k); got != want {
			t.Errorf("ProtocolTriggerKind(%s) = %s, want %s", k, got, want)
		}
	}
}

// windows-facts.md §5: with no push task, a raw notification is dropped;
// a registration for another trigger does not take it.
func TestBrokerDropsWithoutPushRegistration(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.json")
	b := &Broker{RegistryPath: path}
	rep, err := b.Push(context.Background(), payload("x"), DeliveryOptions{Policy: quick}, DeliveryObserver{})
	if err != nil || rep.Disposition != DispositionDropped || len(rep.Instances) != 0 {
		t.Fatalf("empty registry: %+v, %v", rep, err)
	}
	register(t, path, "Timer", "Tasks.Noop", "timer:30", "noop")
	rep, err = b.Push(context.Background(), payload("x"), DeliveryOptions{Policy: quick}, DeliveryObserver{})
	if err != nil || rep.Disposition != DispositionDropped || len(rep.Instances) != 0 {
		t.Fatalf("a timer registration took a push: %+v, %v", rep, err)
	}
	// In the foreground the app itself received it.
	rep, _ = b.Push(context.Background(), payload("x"), DeliveryOptions{AppState: AppForeground, Policy: quick}, DeliveryObserver{})
	if rep.Disposition != DispositionHandledByApp || !rep.ForegroundEvent {
		t.Errorf("foreground without a push task: %s, event %t", rep.Disposition, rep.ForegroundEvent)
	}
}

// windows-facts.md §4: for raw push only one background task per app runs at
// a time, also when notifications arrive concurrently (bgtask serve).
func TestBrokerOnePushTaskPerAppAcrossConcurrentPushes(t *testing.T) {
	b := &Broker{}
	pushConcurrentlyOneAtATime(t, func(path string) *Broker { b.RegistryPath = path; return b })
}

// One push task per app at a time holds across bgtask processes too (a push
// while serve delivers): brokers that share no memory, only the registry,
// still run their instances one after the other. Found by a hostile review:
// the order was kept by a mutex of one process only.
func TestBrokerOnePushTaskPerAppAcrossBrokers(t *testing.T) {
	pushConcurrentlyOneAtATime(t, func(path string) *Broker { return &Broker{RegistryPath: path} }) // as another process has its own
}

// A delivery that waits for another bgtask's task says so once the wait
// has lasted lockNoticeAfter (a hostile review found it silent for as long
// as that task ran, up to its 30 s limit and grace), and runs when the lock
// is released; a lock released sooner says nothing.
func TestBrokerSaysWhenItWaitsForTheApp(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.json")
	register(t, path, "A", "Tasks.Noop", "push", "noop")
	lockPath := path + ".run.lock"
	push := func(hold time.Duration) (notices []string, took time.Duration, started time.Time) {
		release, err := fsutil.Lock(context.Background(), lockPath) // the other bgtask
		if err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(hold, func() { _ = release() })
		var mu sync.Mutex
		start := time.Now()
		rep, err := (&Broker{RegistryPath: path}).Push(context.Background(), payload("x"), DeliveryOptions{Policy: quick},
			DeliveryObserver{WaitingForApp: func(p string) { mu.Lock(); notices = append(notices, p); mu.Unlock() }})
		if err != nil || len(rep.Instances) != 1 || rep.Instances[0].Outcome != OutcomeCompleted {
			t.Fatalf("push: %v %+v", err, rep)
		}
		return notices, time.Since(start), rep.Instances[0].StartedAt
	}
	notices, took, _ := push(lockNoticeAfter + 700*time.Millisecond)
	if len(notices) != 1 || notices[0] != lockPath {
		t.Errorf("notices %q, want one naming %s", notices, lockPath)
	}
	if took < lockNoticeAfter+700*time.Millisecond {
		t.Errorf("the push took %v: it did not wait for the lock", took)
	}
	if notices, _, _ := push(50 * time.Millisecond); len(notices) != 0 {
		t.Errorf("a short wait was announced: %q", notices)
	}
}

// pushConcurrentlyOneAtATime pushes three notifications at once through the
// brokers broker gives and checks that their instances never overlapped.
func pushConcurrentlyOneAtATime(t *testing.T, broker func(path string) *Broker) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "registry.json")
	register(t, path, "A", "Tasks.Deferred", "push", "deferral")
	brokers := []*Broker{broker(path), broker(path), broker(path)}
	var wg sync.WaitGroup
	reports := make([]*Report, len(brokers))
	for i, b := range brokers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rep, err := b.Push(context.Background(), payload("x"), DeliveryOptions{Policy: quick}, DeliveryObserver{})
			if err != nil {
				t.Error(err)
				return
			}
			reports[i] = rep
		}()
	}
	wg.Wait()
	var spans [][2]time.Time
	for _, rep := range reports {
		if rep == nil || len(rep.Instances) != 1 || rep.Instances[0].Outcome != OutcomeCompleted {
			t.Fatalf("report %+v", rep)
		}
		spans = append(spans, [2]time.Time{rep.Instances[0].StartedAt, rep.Instances[0].EndedAt})
	}
	for i := range spans {
		for j := range spans {
			if i != j && spans[i][0].Before(spans[j][1]) && spans[j][0].Before(spans[i][1]) {
				t.Errorf("instances %d and %d overlap: %v and %v", i, j, spans[i], spans[j])
			}
		}
	}
}

func TestBrokerTrigger(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.json")
	register(t, path, "Push", "Tasks.Noop", "push", "noop")
	register(t, path, "App", "Tasks.Noop", "application", "noop")
	b := &Broker{RegistryPath: path}
	ctx := context.Background()
	opts := DeliveryOptions{Policy: quick}
	n := payload("x")

	if _, err := b.Trigger(ctx, "Psuh", &n, opts, DeliveryObserver{}); !errors.Is(err, ErrNoSuchRegistration) ||
		!strings.Contains(err.Error(), "did you mean Push?") {
		t.Errorf("unknown name: %v", err)
	}
	var pe *PayloadError
	if _, err := b.Trigger(ctx, "Push", nil, opts, DeliveryObserver{}); !errors.As(err, &pe) {
		t.Errorf("push without payload: %v", err)
	}
	if _, err := b.Trigger(ctx, "App", &n, opts, DeliveryObserver{}); !errors.As(err, &pe) {
		t.Errorf("application trigger with a payload: %v", err)
	}
	var started []string
	rep, err := b.Trigger(ctx, "App", nil, opts, DeliveryObserver{Started: func(in InstanceReport) { started = append(started, in.Registration.Name) }})
	if err != nil || rep.Disposition != DispositionDelivered || len(rep.Instances) != 1 || rep.Instances[0].Outcome != OutcomeCompleted {
		t.Fatalf("trigger App: %+v, %v", rep, err)
	}
	if strings.Join(started, ",") != "App" {
		t.Errorf("started %v, want only App", started)
	}
}

// A registration whose plugin is missing or unset does not start, and the
// others still run (windows-facts.md §7: a task that fails to activate).
func TestBrokerNotStartedDoesNotStopOthers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.json")
	register(t, path, "A-none", "Tasks.Noop", "push", "")
	register(t, path, "B-example", "Tasks.Noop", "push", "")
	register(t, path, "C-ok", "Tasks.Noop", "push", "noop")
	// B runs on the example plugin, which this broker does not provide.
	reg, _ := tasks.Load(path)
	reg.Registrations[1].ExamplePlugin = true
	b := &Broker{RegistryPath: path}
	var plugins []Plugin
	for _, r := range reg.Registrations {
		p, err := b.plugin(reg, r)
		plugins = append(plugins, p)
		if (err == nil) != (r.Name == "C-ok") {
			t.Errorf("%s: plugin err = %v", r.Name, err)
		}
	}
	if !strings.HasSuffix(plugins[2].Path, testPlugin("noop").Path) {
		t.Errorf("C-ok runs %q", plugins[2].Path)
	}
	rep, err := b.Push(context.Background(), payload("x"), DeliveryOptions{Policy: quick}, DeliveryObserver{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, in := range rep.Instances {
		got = append(got, in.Registration.Name+"="+string(in.Outcome))
	}
	if strings.Join(got, " ") != "A-none=not-started B-example=not-started C-ok=completed" {
		t.Errorf("outcomes: %v", got)
	}
	if rep.AllCompleted() {
		t.Error("AllCompleted with not-started instances")
	}
	if !strings.Contains(rep.Instances[0].Result.Error, "no plugin is registered for A-none") {
		t.Errorf("A-none error: %q", rep.Instances[0].Result.Error)
	}
}

// Waiting registrations start nothing; with every one waiting the delivery
// is "waiting-for-conditions", which push reports as nothing delivered.
func TestBrokerConditions(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.json")
	register(t, path, "Net", "Tasks.Noop", "push", "noop", "InternetAvailable")
	b := &Broker{RegistryPath: path}
	offline, _ := ParseConditionState([]string{"InternetAvailable=false"})
	rep, err := b.Push(context.Background(), payload("x"), DeliveryOptions{Policy: quick, Conditions: offline, Repeat: 2}, DeliveryObserver{})
	if err != nil || rep.Disposition != DispositionWaiting || len(rep.Instances) != 2 {
		t.Fatalf("%+v, %v", rep, err)
	}
	for _, in := range rep.Instances {
		if in.Outcome != OutcomeWaiting || in.Result != nil || len(in.Unmet) != 1 || in.Unmet[0] != 3 {
			t.Errorf("instance %+v", in)
		}
	}
	if !rep.AllCompleted() {
		t.Error("waiting instances count as not failed")
	}
}

// A condition loss cancels with ConditionLoss only instances that depend on
// the condition and asked for it (CancelOnConditionLoss); later instances
// then wait for it.
func TestBrokerConditionLoss(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.json")
	register(t, path, "A", "Tasks.Deferred", "push", "deferral", "InternetAvailable")
	register(t, path, "B", "Tasks.Deferred", "push", "deferral", "InternetAvailable")
	b := &Broker{RegistryPath: path}
	rep, err := b.Push(context.Background(), payload("x"), DeliveryOptions{Policy: quick, LoseCondition: 3, LoseAfter: 50 * time.Millisecond}, DeliveryObserver{})
	if err != nil {
		t.Fatal(err)
	}
	a, bb := rep.Instances[0], rep.Instances[1]
	if a.Result == nil || !a.Result.Canceled || a.Result.CancelReason != plugin.CancelConditionLoss {
		t.Errorf("A: %+v", a.Result)
	}
	if bb.Outcome != OutcomeWaiting {
		t.Errorf("B after the loss: %s, want waiting", bb.Outcome)
	}
}

// A registration unregistered while a delivery goes on gets no more
// instances (Windows never activates an unregistered task): neither the
// next registration in the burst nor the next --repeat. Found by a hostile
// review: the list of registrations was read once, at the start.
func TestBrokerSkipsRegistrationsRemovedMeanwhile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.json")
	register(t, path, "A", "Tasks.Deferred", "push", "deferral")
	register(t, path, "B", "Tasks.Deferred", "push", "deferral")
	b := &Broker{RegistryPath: path}
	unregisterOnStart := func(name string) DeliveryObserver {
		var once sync.Once
		return DeliveryObserver{Started: func(InstanceReport) {
			once.Do(func() {
				if _, err := tasks.Unregister(context.Background(), path, tasks.Selector{Name: name}); err != nil {
					t.Error(err)
				}
			})
		}}
	}
	rep, err := b.Push(context.Background(), payload("x"), DeliveryOptions{Policy: quick}, unregisterOnStart("B"))
	if err != nil || len(rep.Instances) != 1 || rep.Instances[0].Registration.Name != "A" {
		t.Fatalf("B unregistered while A ran: %v, %+v; want A's instance alone", err, rep)
	}
	rep, err = b.Push(context.Background(), payload("x"), DeliveryOptions{Policy: quick, Repeat: 3}, unregisterOnStart("A"))
	if err != nil || len(rep.Instances) != 1 || rep.Disposition != DispositionDelivered {
		t.Fatalf("A unregistered during the first of 3 deliveries: %v, %+v; want one instance", err, rep)
	}
}

// A cancel of the caller's context (Ctrl-C) during the only or last
// instance marks the report interrupted, as it does during an earlier one
// (it was false, and the report read as an unregister --cancel's).
func TestBrokerCancelDuringTheLastInstanceIsAnInterruption(t *testing.T) {
	path := filepath.Join(t.TempDir(), "registry.json")
	register(t, path, "Coop", "Tasks.Cooperative", "push", "cancel")
	ctx, cancel := context.WithCancel(context.Background())
	obs := DeliveryObserver{Started: func(InstanceReport) { time.AfterFunc(200*time.Millisecond, cancel) }}
	rep, err := (&Broker{RegistryPath: path}).Push(ctx, payload("x"), DeliveryOptions{Policy: quick}, obs)
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Interrupted || len(rep.Instances) != 1 || rep.Instances[0].Result == nil || rep.Instances[0].Result.CancelReason != plugin.CancelAbort {
		t.Errorf("interrupted %v, instances %+v; want an interrupted report with the instance cancelled (Abort)", rep.Interrupted, rep.Instances)
	}
}

// A broker that delivers again and again (bgtask serve) sees the registry
// as it is at each delivery: a registration made or removed since the last
// one counts, though the registry read last is reused while it is unchanged.
func TestBrokerSeesRegistryChangesBetweenDeliveries(t *testing.T) {
	registry := filepath.Join(t.TempDir(), "registry.json")
	register(t, registry, "First", "Tasks.Noop", "push", "noop")
	b := &Broker{RegistryPath: registry}
	defer b.Close()
	names := func() string {
		t.Helper()
		rep, err := b.Push(context.Background(), payload("p"), DeliveryOptions{Policy: quick}, DeliveryObserver{})
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, in := range rep.Instances {
			got = append(got, in.Registration.Name)
		}
		return strings.Join(got, ",")
	}
	if got := names(); got != "First" {
		t.Fatalf("first delivery went to %q", got)
	}
	if got := names(); got != "First" {
		t.Fatalf("unchanged registry: delivery went to %q", got)
	}
	register(t, registry, "Second", "Tasks.Noop", "push", "noop")
	if got := names(); got != "First,Second" {
		t.Errorf("after a registration: delivery went to %q, want First,Second", got)
	}
	if _, err := tasks.Unregister(context.Background(), registry, tasks.Selector{Name: "First"}); err != nil {
		t.Fatal(err)
	}
	if got := names(); got != "Second" {
		t.Errorf("after an unregistration: delivery went to %q, want Second", got)
	}
}
