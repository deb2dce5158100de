package safetext

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestEscape(t *testing.T) {
	for _, c := range []struct{ in, escape, line string }{
		{"Tasks.Sync", "Tasks.Sync", "Tasks.Sync"},
		{`js\pushtask.js`, `js\pushtask.js`, `js\pushtask.js`}, // backslashes stay: Windows paths
		{"Café ✓ 日本", "Café ✓ 日本", "Café ✓ 日本"},
		{"a\tb", `a\x09b`, "a\tb"},
		{"A\nfile:1:1: error: forged", `A\x0afile:1:1: error: forged`, `A\x0afile:1:1: error: forged`},
		{"x\r\x1b[31mred\x1b[0m", `x\x0d\x1b[31mred\x1b[0m`, `x\x0d\x1b[31mred\x1b[0m`},
		{"del\x7f", `del\x7f`, `del\x7f`},
		{"c1 \u009b2J \u0085", `c1 \x9b2J \x85`, `c1 \x9b2J \x85`},   // CSI and NEL as characters
		{"raw \x9b2J byte", `raw \x9b2J byte`, `raw \x9b2J byte`},    // 0x9B as a lone byte
		{"cut \xe2\x82", `cut \xe2\x82`, `cut \xe2\x82`},             // a split UTF-8 sequence
		{"abc\u202eexe.txt", `abc\u202eexe.txt`, `abc\u202eexe.txt`}, // right-to-left override
		{"\u2066x\u2069 \u200bz\ufeff", `\u2066x\u2069 \u200bz\ufeff`, `\u2066x\u2069 \u200bz\ufeff`},
		{"l\u2028p\u2029", `l\u2028p\u2029`, `l\u2028p\u2029`},
		{"tag\U000e0041", `tag\U000e0041`, `tag\U000e0041`},
		{"", "", ""},
	} {
		if got := Escape(c.in); got != c.escape {
			t.Errorf("Escape(%q) = %q, want %q", c.in, got, c.escape)
		}
		if got := Line(c.in); got != c.line {
			t.Errorf("Line(%q) = %q, want %q", c.in, got, c.line)
		}
	}
}

func TestLines(t *testing.T) {
	in := "bad \x1b[2J value\n  hint:\tdo this\u202e"
	want := "bad \\x1b[2J value\n  hint:\tdo this\\u202e"
	if got := Lines(in); got != want {
		t.Errorf("Lines(%q) = %q, want %q", in, got, want)
	}
	// A newline not followed by the hint's two spaces came from a value (a
	// path given with --manifest): it would start a line of the tool's own.
	in = "a\nb.appxmanifest: no such file\n  check the path\n\nbgtask: forged"
	want = "a\\x0ab.appxmanifest: no such file\n  check the path\\x0a\\x0abgtask: forged"
	if got := Lines(in); got != want {
		t.Errorf("Lines(%q) = %q, want %q", in, got, want)
	}
}

// Whatever the input, nothing a terminal acts on survives, and the result
// is valid UTF-8.
func FuzzEscape(f *testing.F) {
	for _, s := range []string{"a\x1b[1mb", "\x9b", "\u202e", "ok", "\xff\xfe"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, out := range []string{Escape(s), Line(s), Lines(s), Text(s)} {
			if !utf8.ValidString(out) {
				t.Fatalf("%q: invalid UTF-8 %q", s, out)
			}
			for _, r := range out {
				if r != '\t' && r != '\n' && (r < 0x20 || (r >= 0x7f && r < 0xa0) || invisible(r)) {
					t.Fatalf("%q: %U survived in %q", s, r, out)
				}
			}
		}
		if strings.ContainsAny(Escape(s), "\t\n") || strings.Contains(Line(s), "\n") {
			t.Fatalf("%q: a tab or newline survived Escape, or a newline Line", s)
		}
		for _, line := range strings.Split(Lines(s), "\n")[1:] {
			if !strings.HasPrefix(line, "  ") {
				t.Fatalf("%q: Lines gave a line that is not a hint's: %q", s, line)
			}
		}
	})
}

func TestShellWord(t *testing.T) {
	for in, want := range map[string]string{
		"Tasks.Push":             "Tasks.Push",
		"js/task.js":             "js/task.js",
		"bad name":               "'bad name'",
		"$safeprojectname$.Task": "'$safeprojectname$.Task'",
		"it's":                   `'it'\''s'`,
		"":                       "''",
	} {
		if got := ShellWord(in); got != want {
			t.Errorf("ShellWord(%q) = %s, want %s", in, got, want)
		}
	}
}
