package lint

import "testing"

// Rule explanations become one Markdown paragraph: wrapped lines joined,
// a break before each list-like line (two spaces) and after the last one,
// deeper-indented lines continuing the item above, HTML escaped.
func TestMDParagraph(t *testing.T) {
	for in, want := range map[string]string{
		"":                                   "",
		"one line":                           "one line",
		"wrapped\nline":                      "wrapped line",
		"list:\n  - a\n  - b\nafter":         "list:<br>\n- a<br>\n- b<br>\nafter",
		"list:\n  - a\n    more of a\nafter": "list:<br>\n- a more of a<br>\nafter",
		"  <Task Type=\"x\"/> & co\n":        "&lt;Task Type=\"x\"/&gt; &amp; co",
		"text\n    deep\nnext":               "text deep next",
	} {
		if got := mdParagraph(in); got != want {
			t.Errorf("mdParagraph(%q) = %q, want %q", in, got, want)
		}
	}
}
