package manifest

import "bytes"

// style is how the file is written, learned from its own bytes, so inserted
// text looks as if the file's author had typed it.
type style struct {
	newline   string // "\r\n" or "\n"
	unit      string // one level of indentation: "\t" or N spaces
	selfClose string // " />" (Visual Studio) or "/>"
}

func (d *Document) style() style {
	return style{newline: d.newline(), unit: d.indentUnit(), selfClose: d.selfCloseStyle()}
}

// newline is the file's majority line ending; a file of one line gets "\n".
func (d *Document) newline() string {
	crlf := bytes.Count(d.Data, []byte("\r\n"))
	lf := bytes.Count(d.Data, []byte("\n")) - crlf
	if crlf > lf {
		return "\r\n"
	}
	return "\n"
}

// indentUnit is the most common step between an element's indentation and
// its parent's, over elements that start their own line. Files too flat to
// tell get two spaces, what Visual Studio writes.
func (d *Document) indentUnit() string {
	counts := map[string]int{}
	for el, s := range d.spans {
		parent := el.Parent()
		ps, ok := d.spans[parent]
		if !ok {
			continue
		}
		child, ok1 := d.lineIndent(s.Start)
		outer, ok2 := d.lineIndent(ps.Start)
		if !ok1 || !ok2 || len(child) <= len(outer) || child[:len(outer)] != outer {
			continue
		}
		counts[child[len(outer):]]++
	}
	best, bestN := "  ", 0
	for unit, n := range counts {
		// Ties go to the shorter unit, then the smaller string (a tab before
		// a space), so the choice never depends on map order.
		if n > bestN || (n == bestN && (len(unit) < len(best) || len(unit) == len(best) && unit < best)) {
			best, bestN = unit, n
		}
	}
	return best
}

// selfCloseStyle is how the file ends an empty element: most manifests, as
// Visual Studio writes them, put a space before "/>".
func (d *Document) selfCloseStyle() string {
	spaced, tight := 0, 0
	for _, s := range d.spans {
		if !s.SelfClosing || s.StartEnd < 3 {
			continue
		}
		switch d.Data[s.StartEnd-3] {
		case ' ', '\t', '\n', '\r':
			spaced++
		default:
			tight++
		}
	}
	if tight > spaced {
		return "/>"
	}
	return " />"
}

// lineIndent returns the whitespace between the start of offset's line and
// offset, and false when something else precedes offset on its line.
func (d *Document) lineIndent(offset int) (string, bool) {
	i := offset
	for i > 0 && (d.Data[i-1] == ' ' || d.Data[i-1] == '\t') {
		i--
	}
	if i > 0 && d.Data[i-1] != '\n' {
		return "", false
	}
	return string(d.Data[i:offset]), true
}

// indentAt returns the leading whitespace of offset's line, whatever follows it.
func (d *Document) indentAt(offset int) string {
	start := bytes.LastIndexByte(d.Data[:offset], '\n') + 1
	end := start
	for end < len(d.Data) && (d.Data[end] == ' ' || d.Data[end] == '\t') {
		end++
	}
	return string(d.Data[start:end])
}
