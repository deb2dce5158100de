//go:build windows

package cmd

import (
	"os"

	"golang.org/x/sys/windows"
)

// enableEscapeCodes turns on virtual terminal processing for a console
// stream, which a Windows console needs before it renders colour escape codes.
// fatih/color does this only for stdout, so stderr would show raw "←[31m"
// when stdout is redirected. A console that refuses (before Windows 10) gets
// no colour at all.
func enableEscapeCodes(f *os.File) bool {
	h := windows.Handle(f.Fd())
	var mode uint32
	if err := windows.GetConsoleMode(h, &mode); err != nil {
		return false
	}
	const want = windows.ENABLE_PROCESSED_OUTPUT | windows.ENABLE_VIRTUAL_TERMINAL_PROCESSING
	if mode&want == want {
		return true
	}
	return windows.SetConsoleMode(h, mode|want) == nil
}
