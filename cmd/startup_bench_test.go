package cmd

import (
	"context"
	"testing"
)

// BenchmarkVersion is the command side of the start-up line in
// docs/benchmarks.md (`bgtask --version` against a hello-world binary):
// building the command tree and running --version, in-process, so what
// bgtask's own code costs at every start is tracked apart from the runtime's
// and the linked packages' initialisation.
func BenchmarkVersion(b *testing.B) {
	io, _, out, _ := TestIO()
	b.ReportAllocs()
	for b.Loop() {
		out.Reset()
		if code := Execute(context.Background(), io, []string{"--version"}); code != 0 {
			b.Fatalf("exit %d", code)
		}
	}
	if out.Len() == 0 {
		b.Fatal("--version printed nothing")
	}
}
