// Package stripansi is github.com/acarl005/stripansi (MIT, LICENSE beside
// this file; unchanged since 2018) with one change: its regular expression
// is compiled on first use instead of at package initialisation. bgtask
// links it only through github.com/vbauerster/mpb/v8, which calls Strip
// only to truncate a progress bar's text that does not fit the terminal;
// compiled at init it cost every start of bgtask about 0.1 ms and a dozen
// page faults (docs/benchmarks.md). The go.mod of bgtask replaces the
// upstream module with this folder.
package stripansi

import (
	"regexp"
	"sync"
)

const ansi = "[\u001B\u009B][[\\]()#;?]*(?:(?:(?:[a-zA-Z\\d]*(?:;[a-zA-Z\\d]*)*)?\u0007)|(?:(?:\\d{1,4}(?:;\\d{0,4})*)?[\\dA-PRZcf-ntqry=><~]))"

var re = sync.OnceValue(func() *regexp.Regexp { return regexp.MustCompile(ansi) })

// Strip removes ANSI escape sequences (colours, cursor movement, OSC
// titles ended by BEL) from str.
func Strip(str string) string {
	return re().ReplaceAllString(str, "")
}
