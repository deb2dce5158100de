package manifest

import (
	"bytes"

	"github.com/beevik/etree"
)

// splice replaces Data[Start:End] with Text. An edit is one splice, so it
// changes one contiguous run of bytes and nothing else.
type splice struct {
	Start, End int
	Text       string
}

func (s splice) apply(data []byte) []byte {
	out := make([]byte, 0, len(data)-(s.End-s.Start)+len(s.Text))
	out = append(out, data[:s.Start]...)
	out = append(out, s.Text...)
	return append(out, data[s.End:]...)
}

// renderFunc renders the new element, its first line starting at indent, in
// style st.
type renderFunc func(indent string, st style) string

// compact is st for a file, or a part of one, written without line breaks:
// the new element is rendered on one line too.
func (st style) compact() style { return style{selfClose: st.selfClose} }

// appendChild returns the splice that makes the rendered element the last
// child of parent. The new element gets its own line, inserted after the
// parent's last content: the exact text removeElement later deletes.
func (d *Document) appendChild(parent *etree.Element, st style, render renderFunc) splice {
	ps := d.spans[parent]
	parentIndent := d.indentAt(ps.Start)
	if ps.SelfClosing {
		return d.expandSelfClosing(parent, parentIndent, st, render)
	}
	children := parent.ChildElements()
	content := d.Data[ps.StartEnd:ps.EndStart]
	oneLine := bytes.IndexAny(content, "\r\n") < 0
	if len(children) > 0 && oneLine {
		// Everything on one line: keep it so, directly after the last child.
		at := d.spans[children[len(children)-1]].End
		return splice{Start: at, End: at, Text: render("", st.compact())}
	}
	at := ps.StartEnd + len(bytes.TrimRight(content, " \t\r\n"))
	if _, ownLine := d.lineIndent(ps.Start); !ownLine && oneLine {
		// An empty <X></X> inside a line: the file is written without line
		// breaks here, so the new element goes in without any either.
		return splice{Start: at, End: at, Text: render("", st.compact())}
	}
	indent := parentIndent + st.unit
	if len(children) > 0 {
		if own, ok := d.lineIndent(d.spans[children[len(children)-1]].Start); ok {
			indent = own
		}
	}
	text := st.newline + indent + render(indent, st)
	if oneLine {
		// <X></X> on one line: put the end tag back on a line of its own.
		text += st.newline + parentIndent
	}
	return splice{Start: at, End: at, Text: text}
}

// insertAfter returns the splice that puts the rendered element on its own
// line right after sibling, at sibling's indentation; directly after it, on
// the same line, when sibling does not start a line of its own.
func (d *Document) insertAfter(sibling *etree.Element, st style, render renderFunc) splice {
	s := d.spans[sibling]
	indent, ok := d.lineIndent(s.Start)
	if !ok {
		return splice{Start: s.End, End: s.End, Text: render("", st.compact())}
	}
	return splice{Start: s.End, End: s.End, Text: st.newline + indent + render(indent, st)}
}

// expandSelfClosing turns <X/> into <X>, the new child, </X>. This is the one
// edit that rewrites existing bytes (the "/>"), so a later remove that empties
// X deletes X rather than restoring <X/>.
func (d *Document) expandSelfClosing(el *etree.Element, indent string, st style, render renderFunc) splice {
	s := d.spans[el]
	open := string(bytes.TrimRight(d.Data[s.Start:s.StartEnd-2], " \t\r\n")) + ">" // drop "/>" and the space before it
	end := "</" + el.FullTag() + ">"
	if _, ownLine := d.lineIndent(s.Start); !ownLine {
		return splice{Start: s.Start, End: s.End, Text: open + render("", st.compact()) + end}
	}
	child := indent + st.unit
	return splice{Start: s.Start, End: s.End, Text: open + st.newline + child + render(child, st) + st.newline + indent + end}
}

// removeElement returns the splice that deletes el together with its own
// line: the line break and indentation in front of it, so the lines around
// it are untouched. When something else precedes el on its line, only the
// element goes.
func (d *Document) removeElement(el *etree.Element) splice {
	s := d.spans[el]
	start := s.Start
	if indent, ok := d.lineIndent(s.Start); ok {
		i := s.Start - len(indent)
		switch {
		case i > 0 && d.Data[i-1] == '\n':
			i--
			if i > 0 && d.Data[i-1] == '\r' {
				i--
			}
			start = i
		case i > 0 && d.Data[i-1] == '\r': // a lone CR ends a line too
			start = i - 1
		}
	}
	return splice{Start: start, End: s.End}
}
