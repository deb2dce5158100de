// Package safetext makes text that came from outside bgtask (a manifest, the
// registry, a plugin's output, a network client) safe to show to a person.
//
// A terminal acts on what it is sent: ESC and the C1 control CSI (U+009B,
// or a raw 0x9B byte on 8-bit terminals) start sequences that recolour the
// screen, move the cursor or retitle the window; CR and LF start new lines
// that can forge output (a fake "file:1:1: error" line); bidirectional
// overrides (U+202E) make text read differently from its bytes. So every
// human-readable format shows such characters as escapes. Machine formats
// (--json, SARIF) carry the exact text instead.
package safetext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Escape returns s as it may be shown in one field of human output (a table
// cell, a value in a message): C0 and C1 control characters (tab, CR and LF
// included) and bytes that are not UTF-8 become \xNN, and invisible
// formatting characters (bidirectional overrides and isolates, zero-width
// characters, line and paragraph separators) become \uNNNN. Everything else,
// backslashes included, is shown as is: this is for reading, not a quoting
// that can be undone.
func Escape(s string) string { return escape(s, false) }

// Line is Escape for one line of free text, such as a line of a plugin's log,
// where a tab is kept: it can neither forge a line nor start a sequence, and
// logs (Go panics, Python tracebacks) indent with it.
func Line(s string) string { return escape(s, true) }

// Lines is Line for a message with hints on lines of their own, such as an
// error from bgtask: a hint line starts with two spaces, and only the "\n  "
// that starts one is kept. Any other line break is escaped, so a path with a
// newline in it (a file name found in a folder, a --manifest value) stays on
// its line and cannot start a line of its own at the left margin.
func Lines(s string) string { return escapeBetween(s, hintBreak) }

// Text is Line for text whose every line break is meant, such as a finding's
// message in a format that carries its line breaks on (GitHub annotations
// write them as %0A): each line is escaped, the "\n" between them kept.
func Text(s string) string { return escapeBetween(s, "\n") }

// escapeBetween is Line of each part of s between the separators, which are
// kept.
func escapeBetween(s, sep string) string {
	if safe(s, true) {
		return s
	}
	parts := strings.Split(s, sep)
	for i, p := range parts {
		parts[i] = escape(p, true)
	}
	return strings.Join(parts, sep)
}

// hintBreak starts a hint line in a message for Lines.
const hintBreak = "\n  "

func escape(s string, keepTab bool) string {
	if safe(s, keepTab) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 16)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\t' && keepTab:
			b.WriteByte('\t')
		case unicode.IsControl(r):
			fmt.Fprintf(&b, `\x%02x`, r)
		case invisible(r):
			if r > 0xFFFF {
				fmt.Fprintf(&b, `\U%08x`, r)
			} else {
				fmt.Fprintf(&b, `\u%04x`, r)
			}
		default:
			b.WriteString(s[i : i+size])
		}
		i += size
	}
	return b.String()
}

// invisible reports the characters that change how text around them is laid
// out without showing themselves: format characters (Cf: bidirectional
// controls, zero-width joiners and spaces, the BOM, tags) and the line and
// paragraph separators, which some terminals and viewers break lines at.
func invisible(r rune) bool {
	return unicode.In(r, unicode.Cf, unicode.Zl, unicode.Zp)
}

// safe reports whether s needs no escaping: printable ASCII (and tab when
// kept), or UTF-8 with nothing Escape would change. Most text is ASCII, so
// this costs one pass and no allocation.
func safe(s string, keepTab bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return safeUnicode(s[i:], keepTab)
		}
		if (c < 0x20 && !(c == '\t' && keepTab)) || c == 0x7f {
			return false
		}
	}
	return true
}

func safeUnicode(s string, keepTab bool) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && size <= 1) || (unicode.IsControl(r) && !(r == '\t' && keepTab)) || invisible(r) {
			return false
		}
		i += size
	}
	return true
}
