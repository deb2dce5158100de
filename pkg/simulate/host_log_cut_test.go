package simulate

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// A cut line keeps the longest prefix of its first maxLogLineBytes bytes
// that is whole characters, whatever bytes the cut character is made of
// (U+3000 is E3 80 80: continuation bytes of the lowest value).
func TestLogLineCutKeepsWholeCharacters(t *testing.T) {
	for _, char := range []string{"\u3000", "\u0080", "\U00010000", "日"} {
		for pad := range 4 {
			line := strings.Repeat("x", pad) + strings.Repeat(char, maxLogLineBytes)
			want := line[:maxLogLineBytes]
			for !utf8.ValidString(want) {
				want = want[:len(want)-1]
			}
			l := newLogReader("task", nil, 10, 10)
			l.run(strings.NewReader(line + "\nnext\n"))
			got := l.lines()
			if len(got) != 2 || got[0] != want+" [line cut]" || got[1] != "next" {
				t.Errorf("%q, pad %d: %d lines, the first %d bytes ending %q; want %d bytes then the mark",
					char, pad, len(got), len(got[0]), got[0][max(0, len(got[0])-16):], len(want))
			}
		}
	}
}
