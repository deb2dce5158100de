package lint

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
