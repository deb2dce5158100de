package cmd

import (
	"strings"
	"testing"
)

// Columns line up on a terminal whatever the script: a CJK character takes
// two cells, a combining accent none (widths counted by hand). They were
// padded by rune count, so a Japanese task name pushed its row's columns
// six cells right (hostile review).
func TestTableAlignsByDisplayWidth(t *testing.T) {
	tb := table{header: []string{"NAME", "V"}, rows: [][]string{{"日本語タスク", "x"}, {"ab", "y"}, {"e\u0301t\u00e9", "z"}}}
	var b strings.Builder
	id := func(s string) string { return s }
	if err := tb.write(&b, id, func(_ int, s string) string { return s }); err != nil {
		t.Fatal(err)
	}
	want := "NAME          V\n" +
		"日本語タスク  x\n" +
		"ab            y\n" +
		"e\u0301t\u00e9           z\n"
	if b.String() != want {
		t.Errorf("got\n%s\nwant\n%s", b.String(), want)
	}
}
