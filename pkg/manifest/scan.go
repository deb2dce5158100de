package manifest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
)

// span is where an element's tags sit in the original bytes. Edits splice at
// these offsets, so they must be exact.
type span struct {
	Start       int  // the '<' of the start tag
	StartEnd    int  // just after the start tag's '>'
	EndStart    int  // the '<' of the end tag; StartEnd for a self-closing element
	End         int  // just after the end tag's '>'
	SelfClosing bool // written as <X/>
}

// scan walks data's tokens once, checking what encoding/xml leaves to its
// caller (matching end tags, a single root, no DTD, bounded depth) and
// recording every element's span in document order, the order in which etree
// creates elements from the same tokens.
func scan(path string, data []byte, lines lineIndex) ([]span, error) {
	if err := checkConflictMarkers(path, data, lines); err != nil {
		return nil, err
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	var charset string // a declared encoding other than UTF-8, refused
	dec.CharsetReader = func(name string, _ io.Reader) (io.Reader, error) {
		charset = name
		return nil, fmt.Errorf("encoding %q is not supported", name)
	}

	type open struct {
		name xml.Name
		idx  int
	}
	var (
		spans    []span
		stack    []open
		rootDone bool
	)
	fail := func(offset int, cause error, format string, a ...any) error {
		return &Error{Path: path, Pos: lines.pos(offset), Msg: fmt.Sprintf(format, a...), Err: cause}
	}
	for {
		before := int(dec.InputOffset())
		tok, err := dec.RawToken()
		after := int(dec.InputOffset())
		if err == io.EOF {
			break
		}
		if err != nil && charset != "" {
			return nil, fail(before, fmt.Errorf("%w: %w", ErrMalformed, err),
				"the file declares encoding %q; bgtask reads UTF-8 manifests (what Visual Studio writes): save it as UTF-8", charset)
		}
		if err != nil {
			return nil, fail(after, fmt.Errorf("%w: %w", ErrMalformed, err),
				"malformed XML: %s; fix the file so it is well-formed XML", syntaxMessage(err))
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target == "xml" && before != lines.bom {
				return nil, fail(before, ErrMalformed, "malformed XML: the <?xml ...?> declaration must be the very first thing in the file; delete what comes before it")
			}
		case xml.StartElement:
			if dup, ok := duplicateAttr(t.Attr); ok {
				return nil, fail(before, ErrMalformed, "malformed XML: attribute %s appears twice in <%s>; keep one", qname(dup), qname(t.Name))
			}
			if rootDone {
				return nil, fail(before, ErrMalformed, "malformed XML: element <%s> after the root element has ended; a manifest has exactly one root, <Package>", qname(t.Name))
			}
			if len(stack) >= MaxDepth {
				return nil, fail(before, ErrTooDeep, "elements nested more than %d deep; a real manifest nests about 10, so this file is not a manifest", MaxDepth)
			}
			stack = append(stack, open{name: t.Name, idx: len(spans)})
			spans = append(spans, span{Start: before, StartEnd: after})
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, fail(before, ErrMalformed, "malformed XML: end tag </%s> without a start tag", qname(t.Name))
			}
			top := stack[len(stack)-1]
			if top.name != t.Name {
				return nil, fail(before, ErrMalformed, "malformed XML: end tag </%s> does not match <%s> opened at %s; close elements in the order they were opened",
					qname(t.Name), qname(top.name), lines.pos(spans[top.idx].Start).lineCol())
			}
			stack = stack[:len(stack)-1]
			s := &spans[top.idx]
			s.EndStart, s.End = before, after
			// encoding/xml reports <X/> as a start and an end token, the
			// end consuming no input.
			s.SelfClosing = before == after
			if s.SelfClosing {
				s.EndStart = s.StartEnd
			}
			if len(stack) == 0 {
				rootDone = true
			}
		case xml.Directive:
			return nil, fail(before, ErrDTD, "a DTD or <!DOCTYPE> is not allowed in a manifest (its entities could expand without bound); delete it")
		case xml.CharData:
			if len(stack) == 0 && !isBlankOutsideRoot(t, before) {
				return nil, fail(before, ErrMalformed, "malformed XML: text outside the root element; delete it")
			}
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return nil, fail(spans[top.idx].Start, ErrMalformed, "malformed XML: <%s> is never closed (the file ends first); add </%s> or restore the missing end of the file",
			qname(top.name), qname(top.name))
	}
	if len(spans) == 0 {
		return nil, fail(len(data), ErrNotManifest, "no XML element found; a manifest's root element is <Package>")
	}
	return spans, nil
}

// checkConflictMarkers reports a git conflict marker at the start of a line.
// encoding/xml would call it malformed XML somewhere after it; the real cause
// is an unfinished merge.
func checkConflictMarkers(path string, data []byte, lines lineIndex) error {
	for _, start := range lines.starts {
		rest := data[start:]
		if bytes.HasPrefix(rest, []byte("<<<<<<<")) {
			return &Error{Path: path, Pos: lines.pos(start), Err: ErrConflictMarker,
				Msg: "unresolved merge conflict (a <<<<<<< marker); resolve the conflict, delete the <<<<<<<, ======= and >>>>>>> lines, and run again"}
		}
	}
	return nil
}

// isBlankOutsideRoot allows whitespace and the byte-order mark around the root.
func isBlankOutsideRoot(text []byte, offset int) bool {
	if offset == 0 {
		text = bytes.TrimPrefix(text, []byte(utf8BOM))
	}
	return len(bytes.TrimSpace(text)) == 0
}

// duplicateAttr returns an attribute name that occurs twice, which XML
// forbids and etree would silently collapse into one.
func duplicateAttr(attrs []xml.Attr) (xml.Name, bool) {
	for i := 1; i < len(attrs); i++ {
		for j := 0; j < i; j++ {
			if attrs[i].Name == attrs[j].Name {
				return attrs[i].Name, true
			}
		}
	}
	return xml.Name{}, false
}

// syntaxMessage strips encoding/xml's "XML syntax error on line N:" prefix:
// the position is already in front of the message.
func syntaxMessage(err error) string {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return se.Msg
	}
	return strings.TrimPrefix(err.Error(), "xml: ")
}

func qname(n xml.Name) string {
	if n.Space == "" {
		return n.Local
	}
	return n.Space + ":" + n.Local
}

func (p Pos) lineCol() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }
