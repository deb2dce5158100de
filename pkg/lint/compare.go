package lint

import (
	"bytes"

	"github.com/bgtask/bgtask/pkg/manifest"
)

// NewErrors lints a manifest before and after an edit and returns the error
// findings the edit introduced, so an editing command can say so instead of
// silently writing what lint rejects. Findings are compared by rule and
// message, not position (an edit moves the lines after it); a rule that
// reports more errors after than before contributes the messages that are
// new. Registry cross-checks are not run.
func NewErrors(before, after Source) []Finding {
	l := New()
	seen := map[[2]string]int{}
	for _, f := range l.Lint(before) {
		if f.Severity == SeverityError {
			seen[[2]string{f.RuleID, f.Message}]++
		}
	}
	var added []Finding
	for _, f := range l.Lint(after) {
		if f.Severity != SeverityError {
			continue
		}
		key := [2]string{f.RuleID, f.Message}
		if seen[key] > 0 {
			seen[key]--
			continue
		}
		added = append(added, f)
	}
	return added
}

// NewEditErrors is NewErrors for an edit of the manifest before (a parsed
// Source) that gave res. For an addition with an excerpt (res.Excerpt: the
// file before and after without the declarations the edit left alone in
// the list it edited), it lints the excerpt rather than the whole file
// twice: in a manifest of 10,000 declarations that was two thirds of
// `manifest add`. The answer is the same. The rules that look at one
// declaration find the same in a declaration the edit left alone before
// and after it, so what it adds can only come from the declaration it made
// or changed, which the excerpt holds; and of the rules that look at an
// application's declarations together, BT008 (an entry point declared
// twice) cannot gain a finding from an addition, which merges into the
// declaration of its entry point rather than declaring it again. The
// exceptions take the whole file: a Windows 8.x manifest, whose BT010 and
// BT011 read the task types of every declaration of an application, and a
// manifest with inline suppressions, whose comments cover the element that
// follows them (in the excerpt, perhaps another). (A Windows 8 family
// manifest's generation also depends on namespaces bound anywhere in it.) Findings are placed in
// the edited file. What the excerpt does not report, the whole file
// reported for the wrong reason: an error that was there before, in a
// declaration after the edit, whose message quotes a line number the edit
// moved (BT006 "line N").
func NewEditErrors(before Source, res manifest.EditResult) []Finding {
	after := Source{Path: before.Path, Dir: before.Dir, Data: res.Data, Doc: res.Doc}
	x := res.Excerpt()
	if x == nil || before.Doc == nil || bytes.Contains(before.Data, []byte(SuppressKeyword)) {
		return NewErrors(before, after)
	}
	// A Windows 10 manifest's generation is its root's namespace; the
	// Windows 8 family's depends on namespaces bound anywhere, perhaps in a
	// declaration left out.
	if gen := before.Doc.Generation(); gen != manifest.GenWin10 && gen != manifest.GenUnknown {
		return NewErrors(before, after)
	}
	added := NewErrors(Source{Path: before.Path, Dir: before.Dir, Data: x.Before, Doc: x.BeforeDoc},
		Source{Path: before.Path, Dir: before.Dir, Data: x.After, Doc: x.AfterDoc})
	for i, f := range added {
		pos := x.ResultPos(f.Line, f.Col)
		added[i].Line, added[i].Col = pos.Line, pos.Col
		added[i].utf16Col = utf16Column(res.Data, pos.Line, pos.Col)
	}
	return added
}
