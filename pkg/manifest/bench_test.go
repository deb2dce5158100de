package manifest

import (
	"fmt"
	"os"
	"strings"
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

// BenchmarkParseManyAttributes parses one element with n attributes: the
// time per attribute (ns/attr) stays flat as n grows, where it grew with n
// (60,000 attributes took 16 s).
func BenchmarkParseManyAttributes(b *testing.B) {
	for _, n := range []int{10, 100, MaxAttributes} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			var src strings.Builder
			src.WriteString("<Package>")
			for i := range 1000 / n {
				fmt.Fprintf(&src, "<A%d", i)
				for j := range n {
					fmt.Fprintf(&src, ` a%d="v"`, j)
				}
				src.WriteString("/>")
			}
			src.WriteString("</Package>")
			data := []byte(src.String())
			for b.Loop() {
				if _, err := Parse("many.xml", data); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*(1000/n)*n), "ns/attr")
		})
	}
}
