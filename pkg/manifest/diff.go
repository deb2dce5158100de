package manifest

import (
	"bytes"

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
	edits := []udiff.Edit{{Start: sp.Start, End: sp.End, New: sp.Text}}
	return udiff.ToUnified("a/"+label, "b/"+label, string(r.Before), edits, udiff.DefaultContextLines)
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
