package manifest

import (
	"os"
	"testing"
)

// BenchmarkParse measures Parse on the seed, a typical Visual Studio manifest
// (about 2 KiB, CRLF, BOM): the cost every list, add, remove and lint pays.
func BenchmarkParse(b *testing.B) {
	data, err := os.ReadFile(seedPath)
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(seedPath, data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAdd measures a whole add on the seed: the edit itself and the
// re-parse that checks its result.
func BenchmarkAdd(b *testing.B) {
	doc, err := Load(seedPath)
	if err != nil {
		b.Fatal(err)
	}
	req := AddRequest{Target: Target{EntryPoint: "Bench.Task"}, Types: []string{"pushNotification"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := doc.Add(req); err != nil {
			b.Fatal(err)
		}
	}
}
