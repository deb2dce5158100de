package lint

import (
	"bytes"
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// SuppressKeyword starts an inline suppression comment in a manifest:
//
//	<!-- bgtask-lint-disable BT004 the class really is called pch -->
//	<Extension Category="windows.backgroundTasks" EntryPoint="pch" ...>
//
// silences the named rules' findings inside the next element (its start tag
// through its end tag). Rule IDs or names follow the keyword, separated by
// spaces or commas; anything after them is the reason, for reviewers.
const SuppressKeyword = "bgtask-lint-disable"

// suppression is one inline comment and the element it covers.
type suppression struct {
	at         manifest.Pos // the comment
	rules      []string     // rule IDs
	unknown    []string     // tokens that look like rule IDs but name none
	start, end manifest.Pos // the next element; start.Line == 0 when there is none
	element    string
	used       map[string]bool
}

// ruleIDLike is compiled on first use, not at every start of bgtask.
var ruleIDLike = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(`(?i)^BT\d+$`) })

// suppressions finds the inline suppression comments of a parsed manifest.
func suppressions(f *File) []*suppression {
	if f.Doc == nil || !bytes.Contains(f.Data, []byte(SuppressKeyword)) {
		return nil
	}
	dec := xml.NewDecoder(bytes.NewReader(f.Data))
	dec.Strict = false
	var out []*suppression
	var pending []*suppression // waiting for their element
	type open struct {
		s     []*suppression
		depth int
	}
	var stack []open // elements covered by suppressions, by depth
	depth := 0
	for {
		before := int(dec.InputOffset())
		tok, err := dec.RawToken()
		if err != nil {
			if err != io.EOF {
				break // BT001's business; the rules saw a parsed document
			}
			break
		}
		after := int(dec.InputOffset())
		switch t := tok.(type) {
		case xml.Comment:
			text := strings.TrimSpace(string(t))
			rest, ok := strings.CutPrefix(text, SuppressKeyword)
			if !ok || (rest != "" && !strings.ContainsAny(rest[:1], " \t\r\n,")) {
				continue
			}
			s := &suppression{at: f.posAt(before), used: map[string]bool{}}
			for _, tok := range strings.FieldsFunc(rest, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\r' || r == '\n' }) {
				if r, ok := RuleByID(tok); ok {
					s.rules = append(s.rules, r.Info().ID)
					continue
				}
				if ruleIDLike().MatchString(tok) {
					s.unknown = append(s.unknown, tok)
					continue
				}
				break // the reason
			}
			out = append(out, s)
			pending = append(pending, s)
		case xml.StartElement:
			depth++
			if len(pending) > 0 {
				for _, s := range pending {
					s.start = f.posAt(before)
					s.element = t.Name.Local
					if t.Name.Space != "" {
						s.element = t.Name.Space + ":" + t.Name.Local
					}
				}
				stack = append(stack, open{pending, depth})
				pending = nil
			}
		case xml.EndElement:
			if n := len(stack); n > 0 && stack[n-1].depth == depth {
				for _, s := range stack[n-1].s {
					s.end = f.posAt(after - 1)
				}
				stack = stack[:n-1]
			}
			depth--
			// A comment right before its parent's end tag covers nothing.
			pending = nil
		}
	}
	return out
}

// applySuppressions drops the findings an inline comment silences and
// reports each comment that silences nothing (BT028), unless that rule is
// off. A comment naming a rule that is off silences nothing and is not
// reported: it may be for a configuration that enables it.
func (l *Linter) applySuppressions(f *File, findings []Finding) []Finding {
	sups := suppressions(f)
	if len(sups) == 0 {
		return findings
	}
	silenced := markSilenced(f.Path, sups, findings)
	kept := findings[:0:0]
	for i, fd := range findings {
		if !silenced[i] {
			kept = append(kept, fd)
		}
	}
	unused, ok := l.enabled(unusedSuppressionID)
	if !ok {
		return kept
	}
	info := unused.Info()
	p := &Pass{File: f, info: &info, findings: &kept}
	for _, s := range sups {
		switch {
		case len(s.unknown) > 0:
			p.Reportf(s.at, "%s names no rule %s; bgtask lint --list-rules lists them", SuppressKeyword, strings.Join(s.unknown, ", "))
		case len(s.rules) == 0:
			p.Reportf(s.at, "%s names no rule: write the rule IDs to silence, such as %s BT004", SuppressKeyword, SuppressKeyword)
		case s.start.Line == 0:
			p.Reportf(s.at, "%s %s is not followed by an element in the same parent: it silences nothing; move it just above the element or remove it", SuppressKeyword, strings.Join(s.rules, " "))
		default:
			var idle []string
			for _, id := range s.rules {
				if _, on := l.enabled(id); on && !s.used[id] {
					idle = append(idle, id)
				}
			}
			if len(idle) > 0 {
				p.Reportf(s.at, "%s %s silences nothing: the next element, <%s> at line %d, has no such finding; remove it", SuppressKeyword, strings.Join(idle, " "), s.element, s.start.Line)
			}
		}
	}
	return kept
}

// markSilenced says which findings a suppression covers, and marks every
// suppression that covers one as used for its rule. Checking each finding
// against each comment cost findings times comments, which a hostile file
// makes hours. Instead, for each rule, one sweep in document order: the
// elements suppressions cover nest (they are elements), so the comments
// covering the sweep's position are a stack, and a finding is silenced when
// that stack is not empty. Every comment on the stack is then used; marking
// stops at the first one already marked, since those under it were marked
// with it, so each comment is marked once.
func markSilenced(path string, sups []*suppression, findings []Finding) []bool {
	silenced := make([]bool, len(findings))
	type event struct {
		at   manifest.Pos
		kind int // 0 a comment's element starts, 1 a finding, 2 an element ends
		i    int // index into sups or findings
	}
	byRule := map[string][]event{}
	for i, s := range sups {
		if s.start.Line == 0 {
			continue
		}
		for _, id := range s.rules {
			byRule[id] = append(byRule[id], event{s.start, 0, i}, event{s.end, 2, i})
		}
	}
	for i, fd := range findings {
		if evs, ok := byRule[fd.RuleID]; ok && fd.Path == path {
			byRule[fd.RuleID] = append(evs, event{manifest.Pos{Line: fd.Line, Col: fd.Col}, 1, i})
		}
	}
	for id, evs := range byRule {
		// Inclusive at both ends: at one position, starts come first, then
		// findings, then ends.
		slices.SortStableFunc(evs, func(a, b event) int {
			if c := cmp.Compare(a.at.Line, b.at.Line); c != 0 {
				return c
			}
			if c := cmp.Compare(a.at.Col, b.at.Col); c != 0 {
				return c
			}
			return cmp.Compare(a.kind, b.kind)
		})
		type open struct {
			s      *suppression
			marked bool
		}
		var stack []open
		for _, e := range evs {
			switch e.kind {
			case 0:
				stack = append(stack, open{s: sups[e.i]})
			case 2:
				if len(stack) > 0 {
					stack = stack[:len(stack)-1]
				}
			case 1:
				if len(stack) == 0 {
					continue
				}
				silenced[e.i] = true
				for k := len(stack) - 1; k >= 0 && !stack[k].marked; k-- {
					stack[k].marked = true
					stack[k].s.used[id] = true
				}
			}
		}
	}
	return silenced
}

// enabled finds rule id among the linter's rules.
func (l *Linter) enabled(id string) (Rule, bool) {
	for _, r := range l.rules {
		if r.Info().ID == id {
			return r, true
		}
	}
	return nil, false
}

// unusedSuppressionID is the rule that reports suppressions that silence
// nothing; the Linter reports it, after every other rule has run.
const unusedSuppressionID = "BT028"

type ruleUnusedSuppression struct{ RuleBase }

func newRuleUnusedSuppression() Rule {
	return ruleUnusedSuppression{RuleBase{RuleInfo{
		ID:       unusedSuppressionID,
		Name:     "unused-suppression",
		Severity: SeverityWarning,
		Short:    "an inline bgtask-lint-disable comment that silences nothing",
		What: fmt.Sprintf(`A <!-- %s ID... --> comment silences the named rules inside the
next element. This rule reports one that silences nothing: the element has no
such finding (any more), the comment is not followed by an element, or it names
no rule or an unknown one.`, SuppressKeyword),
		Why: `A stale suppression hides the next real finding of that rule on the element,
and misleads the next reader about what is wrong with it.`,
		Fix:    `Remove the comment, or move it just above the element whose finding it is for.`,
		Source: `bgtask's own rule (docs/lint.md, "Silencing findings"); no Windows fact behind it.`,
	}}}
}

// Check does nothing: the Linter reports unused suppressions itself, once
// every other rule has had its say.
func (ruleUnusedSuppression) Check(*Pass) {}
