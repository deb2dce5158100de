package simulate

import (
	"context"
	"strings"
	"testing"
	"unicode/utf8"
)

// A line cut at maxLogLineBytes in the middle of a multi-byte character
// must stay valid UTF-8: logs in Japanese or with emoji are common.
func TestLogLineCutKeepsUTF8Valid(t *testing.T) {
	for pad := range 4 {
		l := newLogReader("task", nil, 10, 10)
		line := strings.Repeat("x", pad) + strings.Repeat("日", maxLogLineBytes) + "\nnext\n"
		l.run(strings.NewReader(line))
		got := l.lines()
		if len(got) != 2 || got[1] != "next" {
			t.Fatalf("pad %d: lines = %d, want the cut line and the next", pad, len(got))
		}
		if !utf8.ValidString(got[0]) || !strings.HasSuffix(got[0], "日 [line cut]") {
			t.Errorf("pad %d: cut line ends %q", pad, got[0][len(got[0])-20:])
		}
	}
}

// A plugin's escape sequences reach the terminal as visible text, never as
// colour or cursor movement; the Result keeps the line as written.
func TestLogShowsControlCharactersAsText(t *testing.T) {
	var shown strings.Builder
	l := newLogReader("task", func(s, _ string) { shown.WriteString(s) }, 10, 10)
	l.run(strings.NewReader("\x1b[31mred\x1b[0m\ttab\x07 naïve 日\n"))
	if want := "task: \\x1b[31mred\\x1b[0m\ttab\\x07 naïve 日\n"; shown.String() != want {
		t.Errorf("shown %q, want %q", shown.String(), want)
	}
	if got := l.lines(); len(got) != 1 || got[0] != "\x1b[31mred\x1b[0m\ttab\x07 naïve 日" {
		t.Errorf("kept %q, want the raw line", got)
	}
}

// A raw 0x9B byte (CSI on a terminal in 8-bit mode) is not valid UTF-8, so
// it slipped past a check for control characters; a bidi override reorders
// what the rest of the line says. Both are shown as escapes.
func TestLogEscapesRawC1BytesAndBidiOverrides(t *testing.T) {
	var shown strings.Builder
	l := newLogReader("task", func(s, _ string) { shown.WriteString(s) }, 10, 10)
	l.run(strings.NewReader("clear \x9b2J now\nabc\u202etxt.exe\n"))
	if want := "task: clear \\x9b2J now\ntask: abc\\u202etxt.exe\n"; shown.String() != want {
		t.Errorf("shown %q, want %q", shown.String(), want)
	}
}

// LogLine gets each line as the plugin wrote it, for machine formats, in
// step with Log's escaped and prefixed line for a terminal (serve's --json
// events carried the escaped text, "\x1b" as four characters).
func TestLogLineIsTheLineAsWritten(t *testing.T) {
	const line = "got: A\x1b[31mRED\tTAB"
	var shown lockedBuffer
	var raw []string
	res := RunInstance(context.Background(), scripted(handshakeLine, "READ", "LOG="+line, completionLine, "EXIT=0"),
		pushInvocation("Tasks.S", "x"), quick, Observer{Log: &shown, LogLine: func(l string) { raw = append(raw, l) }})
	if res.Outcome != OutcomeCompleted {
		t.Fatalf("outcome %s: %s", res.Outcome, res.Error)
	}
	if len(raw) != 1 || raw[0] != line {
		t.Errorf("LogLine got %q, want [%q]", raw, line)
	}
	if got, want := shown.String(), "test-task: got: A\\x1b[31mRED\tTAB\n"; got != want {
		t.Errorf("Log got %q, want %q", got, want)
	}
}
