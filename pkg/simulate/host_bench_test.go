package simulate

import (
	"context"
	"os/exec"
	"testing"
	"time"
)

// BenchmarkHostOverhead measures one run of a no-op plugin through the host
// against a bare baseline: starting the same binary and waiting for it (its
// stdin at end of file, so it exits right after its handshake). The two are
// interleaved so that machine load affects both alike; the metrics are the
// mean of each, their difference and their ratio.
func BenchmarkHostOverhead(b *testing.B) {
	p := testPlugin("noop")
	var bare, host time.Duration
	for b.Loop() {
		start := time.Now()
		if err := exec.Command(p.Path).Run(); err != nil {
			b.Fatalf("bare run: %v", err)
		}
		bare += time.Since(start)

		start = time.Now()
		res := RunInstance(context.Background(), p, pushInvocation("Tasks.Noop", "x"), quick, Observer{})
		if res.Outcome != OutcomeCompleted {
			b.Fatalf("host run: %s (%s)", res.Outcome, res.Error)
		}
		host += time.Since(start)
	}
	n := float64(b.N)
	ms := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) / n }
	b.ReportMetric(ms(bare), "bare-ms/run")
	b.ReportMetric(ms(host), "host-ms/run")
	b.ReportMetric(ms(host-bare), "overhead-ms/run")
	b.ReportMetric(float64(host)/float64(bare), "host/bare")
}
