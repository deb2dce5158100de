package lint

import (
	"fmt"
	"io"

	"github.com/bgtask/bgtask/internal/safetext"
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
//
// Paths and messages quote manifest values, so they are escaped: a value
// holding a newline or an escape sequence must not forge a finding line or
// drive the terminal (NO_COLOR or not).
func WriteText(w io.Writer, r Report, style TextStyle) error {
	for _, f := range r.Findings {
		sev := paint(style.Warning, f.Severity.String())
		if f.Severity == SeverityError {
			sev = paint(style.Error, f.Severity.String())
		}
		loc := paint(style.Location, fmt.Sprintf("%s:%d:%d", safetext.Escape(f.Path), f.Line, f.Col))
		if _, err := fmt.Fprintf(w, "%s: %s: %s %s\n", loc, sev, safetext.Escape(f.Message), paint(style.RuleID, "["+f.RuleID+"]")); err != nil {
			return err
		}
	}
	return nil
}
