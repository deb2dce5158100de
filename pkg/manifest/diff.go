package manifest

import (
	"bytes"
	"strconv"
	"strings"

	udiff "github.com/aymanbagabas/go-udiff"
)

// Diff renders the edit as a unified diff between a/label and b/label (git's
// labels, so `git apply` takes it), or "" when nothing changed.
//
// The hunk comes from the splice itself rather than from diffing the two
// files: a line-diff of a manifest full of similar lines ("</BackgroundTasks>",
// "</Extension>") often pairs the wrong lines and shows the new element cut
// in two, whereas the splice says exactly what was added or removed.
func (r EditResult) Diff(label string) (string, error) {
	if !r.Changed {
		return "", nil
	}
	sp := alignToLines(r.Before, r.edit)
	// The one hunk shows the edit and a few lines around it: udiff is given
	// those lines, not the whole file it would split into lines (a tenth of
	// a dry run in a manifest of 10,000 declarations), and the hunk's line
	// numbers are moved down past the lines left out.
	lo, hi := linesAround(r.Before, sp.Start, sp.End, udiff.DefaultContextLines+2)
	edits := []udiff.Edit{{Start: sp.Start - lo, End: sp.End - lo, New: sp.Text}}
	diff, err := udiff.ToUnified("a/"+label, "b/"+label, string(r.Before[lo:hi]), edits, udiff.DefaultContextLines)
	if err != nil || lo == 0 {
		return diff, err
	}
	if moved, ok := moveHunk(diff, bytes.Count(r.Before[:lo], []byte{'\n'})); ok {
		return moved, nil
	}
	edits = []udiff.Edit{{Start: sp.Start, End: sp.End, New: sp.Text}}
	return udiff.ToUnified("a/"+label, "b/"+label, string(r.Before), edits, udiff.DefaultContextLines)
}

// linesAround returns the bytes of data from n lines before the line of
// start to n lines after the line of end, whole lines.
func linesAround(data []byte, start, end, n int) (lo, hi int) {
	lo = start
	for range n + 1 {
		lo = bytes.LastIndexByte(data[:lo], '\n')
		if lo < 0 {
			lo = 0
			break
		}
	}
	if lo > 0 {
		lo++ // after the newline
	}
	hi = end
	for range n + 1 {
		i := bytes.IndexByte(data[hi:], '\n')
		if i < 0 {
			return lo, len(data)
		}
		hi += i + 1
	}
	return lo, hi
}

// moveHunk adds lines to the line numbers of diff's one hunk header
// ("@@ -A,B +C,D @@", counts left out when 1); false when diff is not one
// such hunk.
func moveHunk(diff string, lines int) (string, bool) {
	at := strings.Index(diff, "\n@@ -")
	if at < 0 || strings.Count(diff, "\n@@ ") != 1 {
		return "", false
	}
	headerEnd := strings.Index(diff[at+1:], " @@\n")
	if headerEnd < 0 {
		return "", false
	}
	header := diff[at+len("\n@@ ") : at+1+headerEnd] // -A,B +C,D
	from, to, ok := strings.Cut(header, " ")
	if !ok {
		return "", false
	}
	move := func(r string, sign byte) (string, bool) {
		if len(r) < 2 || r[0] != sign {
			return "", false
		}
		first, count, hasCount := strings.Cut(r[1:], ",")
		n, err := strconv.Atoi(first)
		if err != nil || n < 1 {
			return "", false // "-0,0" is an empty file's, never one left out of
		}
		out := string(sign) + strconv.Itoa(n+lines)
		if hasCount {
			out += "," + count
		}
		return out, true
	}
	f, ok1 := move(from, '-')
	t, ok2 := move(to, '+')
	if !ok1 || !ok2 {
		return "", false
	}
	return diff[:at+len("\n@@ ")] + f + " " + t + diff[at+1+headerEnd:], true
}

// alignToLines slides a pure insertion or deletion forward, past bytes equal
// to the ones it inserts or deletes, until it starts a line. The result is the
// same file; the difference is that the diff then shows only whole added or
// removed lines instead of an unchanged line removed and added again.
// Inserting "\n  <X/>" just before a "\n" is inserting "  <X/>\n" just after it.
func alignToLines(data []byte, sp splice) splice {
	atLineStart := func(i int) bool { return i == 0 || data[i-1] == '\n' }
	switch {
	case sp.Start == sp.End && sp.Text != "":
		text := []byte(sp.Text)
		for at := sp.Start; at < len(data) && data[at] == text[0]; {
			text = append(text[1:], data[at])
			at++
			if atLineStart(at) && bytes.HasSuffix(text, []byte("\n")) {
				return splice{Start: at, End: at, Text: string(text)}
			}
		}
	case sp.Text == "":
		for start, end := sp.Start, sp.End; end < len(data) && data[start] == data[end]; {
			start++
			end++
			if atLineStart(start) && data[end-1] == '\n' {
				return splice{Start: start, End: end}
			}
		}
	}
	return sp
}
