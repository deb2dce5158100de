package manifest

import (
	"bytes"

	"github.com/beevik/etree"
)

// style is how the file is written, learned from its own bytes, so inserted
// text looks as if the file's author had typed it.
type style struct {
	newline   string // "\r\n", "\n" or "\r"
	unit      string // one level of indentation: "\t" or N spaces
	selfClose string // " />" (Visual Studio) or "/>"
}

func (d *Document) style() style {
	unit, selfClose, ok := d.styleFromTags()
	if !ok {
		unit, selfClose = d.indentUnitFromSpans(), d.selfCloseFromSpans()
	}
	return style{newline: d.newline(), unit: unit, selfClose: selfClose}
}

// newline is the file's majority line ending; a file of one line gets "\n".
// A lone CR (classic Mac OS, and some generators) ends a line for XML as
// much as the other two, so a file written with it gets it.
func (d *Document) newline() string {
	crlf := bytes.Count(d.Data, []byte("\r\n"))
	lf := bytes.Count(d.Data, []byte("\n")) - crlf
	cr := bytes.Count(d.Data, []byte("\r")) - crlf
	switch {
	case cr > crlf && cr > lf:
		return "\r"
	case crlf > lf:
		return "\r\n"
	}
	return "\n"
}

// indentUnit is the most common step between an element's indentation and
// its parent's, over elements that start their own line. Files too flat to
// tell get two spaces, what Visual Studio writes.
func (d *Document) indentUnit() string {
	if unit, _, ok := d.styleFromTags(); ok {
		return unit
	}
	return d.indentUnitFromSpans()
}

// styleFromTags learns indentUnit and selfCloseStyle in one pass over the
// tags in the bytes: each start tag's indentation is compared with that of
// the element it is in, kept on a stack that end tags pop, and no string is
// made per element. Looking every element up in d.spans instead (a random
// access into a large map per element), or walking the tree beside the
// bytes, made the style of a manifest of 10,000 declarations a tenth of an
// add into it. It reports false when the tags do not add up to the tree's
// elements (not expected of a parsed file); the spans then say it.
func (d *Document) styleFromTags() (unit, selfClose string, ok bool) {
	counts := map[string]*int{}
	spaced, tight, elements := 0, 0, 0
	type open struct {
		indent []byte
		ok     bool // the element starts its own line
	}
	var stack []open
	tags := startTags{data: d.Data}
	for {
		start, endTag, found := tags.nextMarkup()
		if !found {
			break
		}
		if endTag {
			if len(stack) == 0 {
				return "", "", false
			}
			stack = stack[:len(stack)-1]
			continue
		}
		end, ok := tagEnd(d.Data, start)
		if !ok {
			return "", "", false
		}
		tags.at = end
		elements++
		child, childOK := d.lineIndentBytes(start)
		if n := len(stack); n > 0 {
			outer := stack[n-1]
			if outer.ok && childOK && len(child) > len(outer.indent) && bytes.HasPrefix(child, outer.indent) {
				countUnit(counts, child[len(outer.indent):])
			}
		}
		if d.Data[end-2] == '/' {
			if isSpaceByte(d.Data[end-3]) {
				spaced++
			} else {
				tight++
			}
			continue
		}
		stack = append(stack, open{child, childOK})
	}
	if elements != len(d.spans) || len(stack) != 0 {
		return "", "", false
	}
	return bestUnit(counts), selfCloseOf(spaced, tight), true
}

// indentUnitFromSpans is indentUnit by the spans.
func (d *Document) indentUnitFromSpans() string {
	counts := map[string]*int{}
	for el, s := range d.spans {
		parent := el.Parent()
		ps, ok := d.spans[parent]
		if !ok {
			continue
		}
		child, ok1 := d.lineIndentBytes(s.Start)
		outer, ok2 := d.lineIndentBytes(ps.Start)
		if !ok1 || !ok2 || len(child) <= len(outer) || !bytes.HasPrefix(child, outer) {
			continue
		}
		countUnit(counts, child[len(outer):])
	}
	return bestUnit(counts)
}

// countUnit counts one more element indented by unit, making a string only
// for a unit not seen before.
func countUnit(counts map[string]*int, unit []byte) {
	if n := counts[string(unit)]; n != nil {
		*n++
		return
	}
	one := 1
	counts[string(unit)] = &one
}

func bestUnit(counts map[string]*int) string {
	best, bestN := "  ", 0
	for unit, np := range counts {
		n := *np
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
	if _, selfClose, ok := d.styleFromTags(); ok {
		return selfClose
	}
	return d.selfCloseFromSpans()
}

// selfCloseFromSpans is selfCloseStyle by the spans.
func (d *Document) selfCloseFromSpans() string {
	spaced, tight := 0, 0
	for _, s := range d.spans {
		if !s.SelfClosing || s.StartEnd < 3 {
			continue
		}
		if isSpaceByte(d.Data[s.StartEnd-3]) {
			spaced++
		} else {
			tight++
		}
	}
	return selfCloseOf(spaced, tight)
}

func selfCloseOf(spaced, tight int) string {
	if tight > spaced {
		return "/>"
	}
	return " />"
}

func isSpaceByte(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// lineIndent returns the whitespace between the start of offset's line and
// offset, and false when something else precedes offset on its line.
func (d *Document) lineIndent(offset int) (string, bool) {
	indent, ok := d.lineIndentBytes(offset)
	return string(indent), ok
}

// lineIndentBytes is lineIndent without a copy: the bytes of Data.
func (d *Document) lineIndentBytes(offset int) ([]byte, bool) {
	i := offset
	for i > 0 && (d.Data[i-1] == ' ' || d.Data[i-1] == '\t') {
		i--
	}
	if i > 0 && d.Data[i-1] != '\n' && d.Data[i-1] != '\r' {
		return nil, false
	}
	return d.Data[i:offset], true
}

// indentAt returns the leading whitespace of offset's line, whatever follows it.
func (d *Document) indentAt(offset int) string {
	start := bytes.LastIndexAny(d.Data[:offset], "\r\n") + 1
	end := start
	for end < len(d.Data) && (d.Data[end] == ' ' || d.Data[end] == '\t') {
		end++
	}
	return string(d.Data[start:end])
}

// startTags finds the tags of a parsed file in document order, which is
// the order of a walk of its tree: in a well-formed file every '<' outside a
// comment, CDATA section or processing instruction begins a start or an end
// tag (text and attribute values cannot hold one).
type startTags struct {
	data []byte
	at   int
}

// next returns where the next start tag starts and ends (just past its
// '>'), which must be el's (its name follows the '<'); false when there is
// none or it is another's. End tags are passed over.
func (s *startTags) next(el *etree.Element) (start, end int, ok bool) {
	for {
		i, endTag, found := s.nextMarkup()
		if !found {
			return 0, 0, false
		}
		if endTag {
			continue
		}
		if !startsWithName(s.data[i+1:], el.Space, el.Tag) {
			return 0, 0, false
		}
		end, ok = tagEnd(s.data, i)
		if ok {
			s.at = end
		}
		return i, end, ok
	}
}

// tagEnd returns the offset just past the '>' that ends the tag starting at
// start, skipping quoted attribute values (which may hold a '>').
func tagEnd(data []byte, start int) (int, bool) {
	for i := start + 1; i < len(data); i++ {
		switch c := data[i]; c {
		case '>':
			return i + 1, i+1 >= start+3
		case '"', '\'':
			k := bytes.IndexByte(data[i+1:], c)
			if k < 0 {
				return 0, false
			}
			i += 1 + k
		}
	}
	return 0, false
}

// more reports whether a start tag is left.
func (s *startTags) more() bool {
	for {
		_, endTag, found := s.nextMarkup()
		if !found || !endTag {
			return found
		}
	}
}

// nextMarkup finds the next start or end tag and returns its offset. It
// moves past an end tag; past a start tag's '<' only (its end is the
// caller's to find, by tagEnd).
func (s *startTags) nextMarkup() (at int, endTag, ok bool) {
	for {
		i := bytes.IndexByte(s.data[s.at:], '<')
		if i < 0 || s.at+i+1 >= len(s.data) {
			s.at = len(s.data)
			return 0, false, false
		}
		i += s.at
		rest := s.data[i+1:]
		var skipTo string
		switch rest[0] {
		case '/':
			skipTo = ">"
		case '?':
			skipTo = "?>"
		case '!':
			switch {
			case bytes.HasPrefix(rest, []byte("!--")):
				skipTo = "-->"
			case bytes.HasPrefix(rest, []byte("![CDATA[")):
				skipTo = "]]>"
			default:
				skipTo = ">"
			}
		default:
			s.at = i + 1
			return i, false, true
		}
		end := bytes.Index(rest, []byte(skipTo))
		if end < 0 {
			s.at = len(s.data)
			return 0, false, false
		}
		s.at = i + 1 + end + len(skipTo)
		if rest[0] == '/' {
			return i, true, true
		}
	}
}

// startsWithName reports whether b starts with the name prefix:local (or
// local without a prefix) and then ends it.
func startsWithName(b []byte, prefix, local string) bool {
	if prefix != "" {
		if len(b) <= len(prefix) || b[len(prefix)] != ':' || string(b[:len(prefix)]) != prefix {
			return false
		}
		b = b[len(prefix)+1:]
	}
	if len(b) <= len(local) {
		return false
	}
	for i := 0; i < len(local); i++ {
		if b[i] != local[i] {
			return false
		}
	}
	switch b[len(local)] {
	case ' ', '\t', '\r', '\n', '/', '>':
		return true
	}
	return false
}
