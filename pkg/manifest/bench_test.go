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

// manifestOf is a Windows 10 manifest declaring n background task
// extensions in one application, the shape of bench/run.sh's edit line.
func manifestOf(n int) []byte {
	var b strings.Builder
	b.WriteString("\ufeff<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Package xmlns=\"http://schemas.microsoft.com/appx/manifest/foundation/windows10\" xmlns:uap=\"http://schemas.microsoft.com/appx/manifest/uap/windows10\">\n" +
		"  <Identity Name=\"Contoso.Bench\" Publisher=\"CN=Contoso\" Version=\"1.0.0.0\" />\n" +
		"  <Applications>\n    <Application Id=\"App\" Executable=\"App.exe\" EntryPoint=\"Bench.App\">\n" +
		"      <uap:VisualElements DisplayName=\"Bench\" Square150x150Logo=\"a.png\" Square44x44Logo=\"b.png\" Description=\"Bench\" BackgroundColor=\"transparent\" />\n" +
		"      <Extensions>\n")
	for i := range n {
		fmt.Fprintf(&b, "        <Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Tasks.Task%d\">\n          <BackgroundTasks>\n            <Task Type=\"pushNotification\" />\n            <Task Type=\"timer\" />\n          </BackgroundTasks>\n        </Extension>\n", i+1)
	}
	b.WriteString("      </Extensions>\n    </Application>\n  </Applications>\n</Package>\n")
	return []byte(b.String())
}

// BenchmarkAdd10000 is an add into a manifest of 10,000 declarations, the
// file already parsed (bench/run.sh times the whole command): finding the
// declaration, the file's style, the edit and the check of its excerpt.
func BenchmarkAdd10000(b *testing.B) {
	doc, err := Parse("big.appxmanifest", manifestOf(10000))
	if err != nil {
		b.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		req  AddRequest
	}{
		{"new", AddRequest{Target: Target{EntryPoint: "Bench.Task"}, Types: []string{"pushNotification"}}},
		{"merge", AddRequest{Target: Target{EntryPoint: "Tasks.Task5000"}, Types: []string{"general"}}},
	} {
		b.Run(tc.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if res, err := doc.Add(tc.req); err != nil || res.Excerpt() == nil {
					b.Fatal(err, res.Excerpt())
				}
			}
		})
	}
}

// BenchmarkStyle10000 is the style learned from that manifest.
func BenchmarkStyle10000(b *testing.B) {
	doc, err := Parse("big.appxmanifest", manifestOf(10000))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		doc.style()
	}
}

// BenchmarkParse10000 parses a manifest of 10,000 declarations (2.4 MB),
// what manifest add reads first.
func BenchmarkParse10000(b *testing.B) {
	data := manifestOf(10000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse("big.appxmanifest", data); err != nil {
			b.Fatal(err)
		}
	}
}
