package simulate

import (
	"context"
	"os/exec"
	"slices"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/tasks"
)

// BenchmarkHostOverhead measures one run of a no-op plugin through the host
// against a bare baseline: starting the same binary and waiting for it (its
// stdin at end of file, so it exits right after its handshake). The two are
// interleaved so that machine load affects both alike, and the metrics are
// medians, which load spikes on a shared machine do not drag around:
// bare-ms/run, host-ms/run, their difference and their ratio.
func BenchmarkHostOverhead(b *testing.B) {
	p := testPlugin("noop")
	var bare, host []time.Duration
	for b.Loop() {
		start := time.Now()
		if err := exec.Command(p.Path).Run(); err != nil {
			b.Fatalf("bare run: %v", err)
		}
		bare = append(bare, time.Since(start))

		start = time.Now()
		res := RunInstance(context.Background(), p, pushInvocation("Tasks.Noop", "x"), quick, Observer{})
		if res.Outcome != OutcomeCompleted {
			b.Fatalf("host run: %s (%s)", res.Outcome, res.Error)
		}
		host = append(host, time.Since(start))
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	mb, mh := median(bare), median(host)
	b.ReportMetric(ms(mb), "bare-ms/run")
	b.ReportMetric(ms(mh), "host-ms/run")
	b.ReportMetric(ms(mh-mb), "overhead-ms/run")
	b.ReportMetric(float64(mh)/float64(mb), "host/bare")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// BenchmarkBrokerPush measures a whole delivery through the broker (the
// registry read, the running record, one instance of a no-op plugin)
// against running the same instance through the host alone, interleaved;
// the metrics are medians: broker-ms/push, host-ms/run and their ratio.
func BenchmarkBrokerPush(b *testing.B) {
	p := testPlugin("noop")
	path := b.TempDir() + "/registry.json"
	tr, _ := tasks.ParseTrigger("push")
	if _, err := tasks.Register(context.Background(), path, tasks.Request{Name: "Noop", EntryPoint: "Tasks.Noop", Trigger: tr, Plugin: p.Path},
		tasks.RegisterOptions{}); err != nil {
		b.Fatal(err)
	}
	broker := &Broker{RegistryPath: path}
	n := Notification{Payload: []byte("x")}
	var host, push []time.Duration
	for b.Loop() {
		start := time.Now()
		res := RunInstance(context.Background(), p, pushInvocation("Tasks.Noop", "x"), quick, Observer{})
		if res.Outcome != OutcomeCompleted {
			b.Fatalf("host run: %s (%s)", res.Outcome, res.Error)
		}
		host = append(host, time.Since(start))

		start = time.Now()
		rep, err := broker.Push(context.Background(), n, DeliveryOptions{Policy: quick}, DeliveryObserver{})
		if err != nil || !rep.AllCompleted() || len(rep.Instances) != 1 {
			b.Fatalf("push: %+v, %v", rep, err)
		}
		push = append(push, time.Since(start))
	}
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	mh, mp := median(host), median(push)
	b.ReportMetric(ms(mh), "host-ms/run")
	b.ReportMetric(ms(mp), "broker-ms/push")
	b.ReportMetric(float64(mp)/float64(mh), "broker/host")
}
