package simulate

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/bgtask/bgtask/pkg/plugin"
)

// The log shows the first `limit` lines, then one notice, and keeps the last
// `tail` lines in order for the report; the count of lines not shown is exact.
func TestLogLimitAndTail(t *testing.T) {
	var in strings.Builder
	for i := 1; i <= 7; i++ {
		fmt.Fprintf(&in, "line %d\n", i)
	}
	in.WriteString("last, no newline")
	for _, tc := range []struct {
		limit, tail int
		shown       string
		kept        string
		dropped     int
	}{
		{3, 4, "t: line 1\nt: line 2\nt: line 3\nt: [more log lines not shown; the last ones are in the report]\n", "line 5|line 6|line 7|last, no newline", 5},
		{8, 8, "t: line 1\nt: line 2\nt: line 3\nt: line 4\nt: line 5\nt: line 6\nt: line 7\nt: last, no newline\n", "line 1|line 2|line 3|line 4|line 5|line 6|line 7|last, no newline", 0},
		{7, 9, "t: line 1\nt: line 2\nt: line 3\nt: line 4\nt: line 5\nt: line 6\nt: line 7\nt: [more log lines not shown; the last ones are in the report]\n", "line 1|line 2|line 3|line 4|line 5|line 6|line 7|last, no newline", 1},
		{1, 1, "t: line 1\nt: [more log lines not shown; the last ones are in the report]\n", "last, no newline", 7},
		{2, 0, "t: line 1\nt: line 2\nt: [more log lines not shown; the last ones are in the report]\n", "", 6},
	} {
		var shown strings.Builder
		l := newLogReader("t", func(s, _ string) { shown.WriteString(s) }, tc.limit, tc.tail)
		l.run(strings.NewReader(in.String()))
		if shown.String() != tc.shown || strings.Join(l.lines(), "|") != tc.kept || l.droppedLines() != tc.dropped {
			t.Errorf("limit %d, tail %d:\nshown %q\nkept %q, dropped %d\nwant %q\nkept %q, dropped %d",
				tc.limit, tc.tail, shown.String(), strings.Join(l.lines(), "|"), l.droppedLines(), tc.shown, tc.kept, tc.dropped)
		}
	}
	// Nothing to show to: lines are still kept and counted.
	l := newLogReader("t", nil, 2, 3)
	l.run(strings.NewReader(in.String()))
	if strings.Join(l.lines(), "|") != "line 6|line 7|last, no newline" || l.droppedLines() != 6 {
		t.Errorf("no observer: kept %q, dropped %d", l.lines(), l.droppedLines())
	}
}

// A line longer than the buffer is cut once, the rest of it skipped, and the
// next line read whole; CRLF endings are dropped.
func TestLogLongLineIsCutOnce(t *testing.T) {
	l := newLogReader("t", nil, 10, 10)
	l.run(strings.NewReader(strings.Repeat("a", 3*maxLogLineBytes) + "\r\nnext\r\n"))
	got := l.lines()
	if len(got) != 2 || got[0] != strings.Repeat("a", maxLogLineBytes)+" [line cut]" || got[1] != "next" {
		t.Errorf("lines: %d, first %d bytes ending %q, then %q", len(got), len(got[0]), got[0][max(0, len(got[0])-15):], got[1:])
	}
}

// trimPartialRune drops only an incomplete last character.
func TestTrimPartialRune(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""}, {"abc", "abc"}, {"ab日", "ab日"}, {"ab日"[:4], "ab"}, {"ab日"[:3], "ab"},
		{"a😀", "a😀"}, {"a😀"[:4], "a"}, {"a😀"[:3], "a"}, {"a😀"[:2], "a"},
		{"\x80\x80\x80\x80", "\x80\x80\x80\x80"}, // no start byte in reach: left as it is
		{"é", "é"}, {"é"[:1], ""},
	} {
		if got := string(trimPartialRune([]byte(tc.in))); got != tc.want {
			t.Errorf("trimPartialRune(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// Lines flagged with the warning prefix become warnings, ten at most; lines
// written more than the tolerance after the completion are counted as late.
func TestLogWarningsAndLateLines(t *testing.T) {
	l := newLogReader("t", nil, 100, 100)
	var in strings.Builder
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&in, "%sw%d\n", plugin.WarningPrefix, i)
	}
	l.run(strings.NewReader(in.String()))
	if got := strings.Join(l.flagged(), ","); got != "w1,w2,w3,w4,w5,w6,w7,w8,w9,w10" {
		t.Errorf("flagged %s", got)
	}
	if n, _ := l.late(); n != 0 {
		t.Errorf("%d late lines before any completion", n)
	}
	l.markCompleted(time.Now())
	l.run(strings.NewReader("in time\n"))
	l.markCompleted(time.Now().Add(-time.Second))
	l.run(strings.NewReader("late 1\nlate 2\n"))
	if n, first := l.late(); n != 2 || first != "late 1" {
		t.Errorf("late: %d, first %q; want 2, late 1", n, first)
	}
}
