package lint

import (
	"bytes"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

// naiveUTF16Column is the conversion counted from the start of the file for
// every finding, as lint did before its column index: the oracle.
func naiveUTF16Column(data []byte, line, col int) int {
	start := 0
	if line == 1 && bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
		start = 3
	}
	for l := 1; l < line; l++ {
		i := bytes.IndexByte(data[start:], '\n')
		if i < 0 {
			return col
		}
		start += i + 1
	}
	end := min(start+col-1, len(data))
	units := 0
	for seg := data[start:end]; len(seg) > 0; {
		r, size := utf8.DecodeRune(seg)
		units += utf16.RuneLen(r)
		seg = seg[size:]
	}
	return units + 1 + max(0, start+col-1-len(data))
}

// One index answers a run of conversions (in document order, as rules
// report, and in any order, as several rules do) as the naive count does.
func TestColumnIndexAnswersAsTheNaiveCount(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	pieces := []string{"a", "<Task/>", "\n", "\r\n", "\u00e9", "\u4e2d", "\U0001F600", "\xff", "\xe2\x82", " "}
	for trial := range 300 {
		var b strings.Builder
		if trial%3 == 0 {
			b.WriteString("\xef\xbb\xbf")
		}
		for range rng.IntN(60) {
			b.WriteString(pieces[rng.IntN(len(pieces))])
		}
		data := []byte(b.String())
		lines := bytes.Count(data, []byte("\n")) + 1
		type pos struct{ line, col int }
		var positions []pos
		for range 40 {
			positions = append(positions, pos{1 + rng.IntN(lines+1), 1 + rng.IntN(30)})
		}
		if trial%2 == 0 { // document order, with repeats
			slicesSortPos(positions, func(a, b pos) bool { return a.line < b.line || a.line == b.line && a.col < b.col })
		}
		var ix columnIndex
		for _, p := range positions {
			if got, want := ix.utf16(data, p.line, p.col), naiveUTF16Column(data, p.line, p.col); got != want {
				t.Fatalf("%q at %d:%d: index %d, naive %d", data, p.line, p.col, got, want)
			}
		}
		// Another file's data (the registry's) through the same index.
		other := []byte("\u00e9\u00e9\n\u00e9x")
		if got, want := ix.utf16(other, 2, 3), naiveUTF16Column(other, 2, 3); got != want {
			t.Fatalf("another file: %d, want %d", got, want)
		}
	}
}

func slicesSortPos[T any](s []T, less func(a, b T) bool) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && less(s[j], s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}

// BenchmarkLintManyFindings lints a manifest of 20,000 findings (elements of
// an undeclared prefix, BT014), on their own lines and all on one line, with
// non-ASCII text so that columns must be counted. Before the column index
// each finding counted from the start of the file: 80,000 took 22 s.
func BenchmarkLintManyFindings(b *testing.B) {
	seed, err := os.ReadFile(filepath.Join("..", "..", "testdata", "seed", "Package.appxmanifest"))
	if err != nil {
		b.Fatal(err)
	}
	for _, sep := range []string{"\n", ""} {
		name := map[string]string{"\n": "lines", "": "one-line"}[sep]
		b.Run(name, func(b *testing.B) {
			bad := strings.Repeat("<p:a/>"+sep, 20000)
			data := bytes.Replace(seed, []byte("<Properties>"), []byte("<Properties><!-- \u00e9 -->"+bad), 1)
			if bytes.Equal(data, seed) {
				b.Fatal("the seed manifest has no <Properties>")
			}
			var n int
			for b.Loop() {
				res := New().Lint(Source{Path: "m.appxmanifest", Data: data})
				n = len(res)
			}
			if n < 20000 {
				b.Fatalf("%d findings, want 20,000 or more", n)
			}
			b.ReportMetric(float64(n), "findings")
		})
	}
}
