package lint

import (
	"fmt"
	"io"
)

// TextStyle colours parts of a text finding. cmd fills it from the output
// stream's palette, so colour follows the stream; a nil func writes plain text.
type TextStyle struct {
	Location func(string) string // path:line:col
	Error    func(string) string // "error"
	Warning  func(string) string // "warning"
	RuleID   func(string) string // [BT001]
}

func paint(f func(string) string, s string) string {
	if f == nil {
		return s
	}
	return f(s)
}

// WriteText writes one finding per line:
//
//	path:line:col: severity: message [BT0xx]
func WriteText(w io.Writer, r Report, style TextStyle) error {
	for _, f := range r.Findings {
		sev := paint(style.Warning, f.Severity.String())
		if f.Severity == SeverityError {
			sev = paint(style.Error, f.Severity.String())
		}
		loc := paint(style.Location, fmt.Sprintf("%s:%d:%d", f.Path, f.Line, f.Col))
		if _, err := fmt.Fprintf(w, "%s: %s: %s %s\n", loc, sev, f.Message, paint(style.RuleID, "["+f.RuleID+"]")); err != nil {
			return err
		}
	}
	return nil
}
