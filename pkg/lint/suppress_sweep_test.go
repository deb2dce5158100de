package lint

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// naiveSilenced is how suppressions were applied before the sweep: every
// finding against every comment, inclusive at both ends. The oracle.
func naiveSilenced(path string, sups []*suppression, findings []Finding) ([]bool, []map[string]bool) {
	after := func(a, b manifest.Pos) bool { return a.Line > b.Line || (a.Line == b.Line && a.Col >= b.Col) }
	silenced := make([]bool, len(findings))
	used := make([]map[string]bool, len(sups))
	for i := range used {
		used[i] = map[string]bool{}
	}
	for i, fd := range findings {
		p := manifest.Pos{Line: fd.Line, Col: fd.Col}
		for j, s := range sups {
			if s.start.Line == 0 || fd.Path != path || !after(p, s.start) || !after(s.end, p) {
				continue
			}
			for _, id := range s.rules {
				if id == fd.RuleID {
					used[j][id] = true
					silenced[i] = true
				}
			}
		}
	}
	return silenced, used
}

// The sweep silences and marks exactly what the naive check does, on
// random nested elements (as elements nest) with comments naming random
// rules, several on one element, and findings anywhere, on their bounds
// too.
func TestSuppressionSweepAgreesWithTheNaiveCheck(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	rules := []string{"BT004", "BT014", "BT020"}
	for trial := range 400 {
		// Elements as nested ranges on one line of 400 columns.
		var sups []*suppression
		var build func(from, to, depth int)
		build = func(from, to, depth int) {
			for at := from; at < to && depth < 6; {
				w := 1 + rng.IntN(max(1, (to-at)/2))
				start, end := at, min(at+w, to)
				for range rng.IntN(3) {
					s := &suppression{start: manifest.Pos{Line: 1, Col: start}, end: manifest.Pos{Line: 1, Col: end}, used: map[string]bool{}}
					for range 1 + rng.IntN(2) {
						s.rules = append(s.rules, rules[rng.IntN(len(rules))])
					}
					sups = append(sups, s)
				}
				if rng.IntN(4) == 0 {
					sups = append(sups, &suppression{rules: []string{"BT004"}, used: map[string]bool{}}) // covers nothing
				}
				build(start+1, end-1, depth+1)
				at = end + 1 + rng.IntN(3)
			}
		}
		build(1, 400, 0)
		var findings []Finding
		for range rng.IntN(60) {
			path := "m.appxmanifest"
			if rng.IntN(10) == 0 {
				path = "registry.json"
			}
			col := 1 + rng.IntN(400)
			if len(sups) > 0 && rng.IntN(3) == 0 { // on a bound
				s := sups[rng.IntN(len(sups))]
				col = []int{s.start.Col, s.end.Col}[rng.IntN(2)]
			}
			findings = append(findings, Finding{RuleID: rules[rng.IntN(len(rules))], Path: path, Line: 1, Col: col})
		}
		wantSilenced, wantUsed := naiveSilenced("m.appxmanifest", sups, findings)
		got := markSilenced("m.appxmanifest", sups, findings)
		if !slices.Equal(got, wantSilenced) {
			t.Fatalf("trial %d: silenced %v, want %v", trial, got, wantSilenced)
		}
		for j, s := range sups {
			if fmt.Sprint(s.used) != fmt.Sprint(wantUsed[j]) {
				t.Fatalf("trial %d: comment %d (%v at %v-%v) used %v, want %v", trial, j, s.rules, s.start, s.end, s.used, wantUsed[j])
			}
		}
	}
}

// Many comments each silencing its own element's findings, at a scale where
// checking every finding against every comment (800 million checks) took
// minutes: all are silenced, and every comment is used.
func TestManySuppressionsAndFindings(t *testing.T) {
	if testing.Short() {
		t.Skip("lints a large manifest")
	}
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"><Properties>`)
	for range 20000 {
		b.WriteString("<!-- bgtask-lint-disable BT014 -->\n<x><p:a/><p:b/></x>\n")
	}
	b.WriteString("</Properties></Package>")
	for _, f := range New().Lint(Source{Path: "m.appxmanifest", Data: []byte(b.String())}) {
		if f.RuleID == "BT014" || f.RuleID == unusedSuppressionID {
			t.Fatalf("reported: %+v", f)
		}
	}
}
