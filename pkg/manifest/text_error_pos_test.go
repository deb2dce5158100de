package manifest

import (
	"strings"
	"testing"
)

// A character the decoder refuses inside a long text is pointed at, not the
// end of the text, which can be lines later (columns counted by hand; xmllint
// names the same lines). Found by a hostile review: all three were reported
// at the end of the text.
func TestMalformedTextPointsAtTheCharacter(t *testing.T) {
	const head = "<Package xmlns=\"http://schemas.microsoft.com/appx/manifest/foundation/windows10\">\n<Properties><DisplayName>\n"
	const tail = "\nline4\nline5</DisplayName></Properties></Package>\n"
	for _, tc := range []struct{ text, pos, says string }{
		{"bad:\xff", "m.appxmanifest:3:5:", "invalid UTF-8"},
		{"bad:\x01", "m.appxmanifest:3:5:", "illegal character code U+0001"},
		{"ok\nbad &bogus; x", "m.appxmanifest:4:5:", "invalid character entity &bogus;"},
		{"é\xef\xbf\xbe", "m.appxmanifest:3:3:", "illegal character code U+FFFE"}, // after a 2-byte é: byte columns
	} {
		_, err := Parse("m.appxmanifest", []byte(head+tc.text+tail))
		if err == nil || !strings.HasPrefix(err.Error(), tc.pos) || !strings.Contains(err.Error(), tc.says) {
			t.Errorf("%q: %v\nwant it at %s saying %q", tc.text, err, tc.pos, tc.says)
		}
	}
}
