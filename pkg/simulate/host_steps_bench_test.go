//go:build unix

package simulate

import (
	"context"
	"io"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// BenchmarkHostSteps says where a host run of the no-op plugin spends the
// time a bare start does not: each step adds one thing to the one before,
// all interleaved, medians in ms (docs/benchmarks.md quotes them):
//
//	bare        exec, stdin at end of file: handshake, then exit
//	pipes       the same with stdin, stdout and stderr pipes read to their end
//	prewritten  the whole protocol, the run message in stdin before the
//	            plugin starts: what the plugin itself does for a run
//	host        RunInstance: the host answers the handshake with run, so
//	            the plugin sleeps on stdin for one round trip
func BenchmarkHostSteps(b *testing.B) {
	p := testPlugin("noop")
	inv := pushInvocation("Tasks.Noop", "x")
	inv.InstanceID = "00000000-0000-0000-0000-000000000009"
	runLine, err := plugin.EncodeMessage(&plugin.Run{InstanceID: inv.InstanceID, Registration: inv.Registration, Trigger: inv.Trigger})
	if err != nil {
		b.Fatal(err)
	}
	piped := func(stdin []byte) {
		c := exec.Command(p.Path)
		inR, inW, _ := os.Pipe()
		outR, outW, _ := os.Pipe()
		errR, errW, _ := os.Pipe()
		c.Stdin, c.Stdout, c.Stderr = inR, outW, errW
		if err := c.Start(); err != nil {
			b.Fatal(err)
		}
		closeAll(inR, outW, errW)
		if stdin != nil {
			_, _ = inW.Write(stdin)
		}
		inW.Close()
		done := make(chan struct{}, 2)
		for _, r := range []*os.File{outR, errR} {
			go func() { _, _ = io.Copy(io.Discard, r); done <- struct{}{} }()
		}
		if err := c.Wait(); err != nil {
			b.Fatal(err)
		}
		<-done
		<-done
		closeAll(outR, errR)
	}
	steps := []struct {
		name string
		run  func()
	}{
		{"bare", func() {
			if err := exec.Command(p.Path).Run(); err != nil {
				b.Fatal(err)
			}
		}},
		{"pipes", func() { piped(nil) }},
		{"prewritten", func() { piped(runLine) }},
		{"host", func() {
			if res := RunInstance(context.Background(), p, inv, quick, Observer{}); res.Outcome != OutcomeCompleted {
				b.Fatalf("host run: %s (%s)", res.Outcome, res.Error)
			}
		}},
	}
	times := make([][]time.Duration, len(steps))
	i := 0
	for b.Loop() {
		for k := range steps {
			j := (k + i) % len(steps) // a different one goes first each time
			start := time.Now()
			steps[j].run()
			times[j] = append(times[j], time.Since(start))
		}
		i++
	}
	for j, s := range steps {
		b.ReportMetric(float64(median(times[j]))/float64(time.Millisecond), s.name+"-ms")
	}
	b.ReportMetric(float64(median(times[len(steps)-1]))/float64(median(times[0])), "host/bare")
}
