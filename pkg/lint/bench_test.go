package lint

import (
	"bytes"
	"encoding/xml"
	"io"
	"os"
	"testing"

	"github.com/bgtask/bgtask/internal/corpus"
)

// The lint throughput benchmark and its baseline read the same files in the
// same run, for profiling (bench/run.sh gives the ratio). The baseline is the
// least any linter must do: read each file and tokenize its XML.

// BenchmarkLintCorpus lints every corpus manifest per iteration (read,
// parse with pkg/manifest, every rule), as `bgtask lint` does.
func BenchmarkLintCorpus(b *testing.B) {
	files := corpus.Manifests(b)
	l := New()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			if _, err := l.LintFile(f.Name, f.Path); err != nil {
				b.Fatal(err)
			}
		}
	}
	reportFilesPerSecond(b, len(files))
}

// BenchmarkBaselineReadTokenize reads every corpus manifest and runs
// encoding/xml's tokenizer to the end (or the first syntax error).
func BenchmarkBaselineReadTokenize(b *testing.B) {
	files := corpus.Manifests(b)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			data, err := os.ReadFile(f.Path)
			if err != nil {
				b.Fatal(err)
			}
			dec := xml.NewDecoder(bytes.NewReader(data))
			for {
				if _, err := dec.RawToken(); err != nil {
					if err != io.EOF && !f.Malformed {
						b.Fatalf("%s: %v", f.Name, err)
					}
					break
				}
			}
		}
	}
	reportFilesPerSecond(b, len(files))
}

func reportFilesPerSecond(b *testing.B, perIteration int) {
	if s := b.Elapsed().Seconds(); s > 0 {
		b.ReportMetric(float64(perIteration*b.N)/s, "files/s")
	}
}
