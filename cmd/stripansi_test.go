package cmd

import (
	"testing"

	"github.com/acarl005/stripansi"
)

// The progress bars' dependency github.com/acarl005/stripansi is replaced by
// third_party/stripansi (go.mod), which compiles its pattern on first use;
// what it strips must be upstream's: SGR colours, cursor movement, and OSC
// sequences ended by BEL, leaving the text around them.
func TestStripANSIAsUpstream(t *testing.T) {
	for in, want := range map[string]string{
		"\x1b[31mred\x1b[0m plain":         "red plain",
		"\x1b[1;32;40mbold\x1b[m":          "bold",
		"\x1b[2K\x1b[1Aup":                 "up",
		"\x1b]0;title\x07after":            "after",
		"\u009b31mcsi8":                    "csi8",
		"no escapes, 100% [====>   ] 3/7 ": "no escapes, 100% [====>   ] 3/7 ",
		"":                                 "",
	} {
		if got := stripansi.Strip(in); got != want {
			t.Errorf("Strip(%q) = %q, want %q", in, got, want)
		}
	}
}
