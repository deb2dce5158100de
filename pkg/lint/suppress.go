package lint

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
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

func (s *suppression) covers(fd Finding, path string) bool {
	if s.start.Line == 0 || fd.Path != path {
		return false
	}
	after := func(a, b manifest.Pos) bool { return a.Line > b.Line || (a.Line == b.Line && a.Col >= b.Col) }
	p := manifest.Pos{Line: fd.Line, Col: fd.Col}
	return after(p, s.start) && after(s.end, p)
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
	kept := findings[:0:0]
	for _, fd := range findings {
		silenced := false
		for _, s := range sups {
			for _, id := range s.rules {
				if id == fd.RuleID && s.covers(fd, f.Path) {
					s.used[id] = true
					silenced = true
				}
			}
		}
		if !silenced {
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
