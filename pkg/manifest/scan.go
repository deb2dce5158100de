package manifest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/beevik/etree"
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

// read tokenizes data once (fastTokens; a second time, by encoding/xml, for
// a file that is malformed or that the fast tokenizer leaves to it) and
// builds from the same tokens both the etree
// tree used for queries and the span of every element used by edits. It
// checks what encoding/xml leaves to its caller (matching end tags, a single
// root, no DTD, bounded depth), so every refusal carries a position; etree's
// own reader would decode the file a second time and report errors without one.
//
// The tree is what etree's reader (v1.8.1, default settings) builds from the
// same tokens: names split as encoding/xml splits them, attributes in order
// with their element set (NamespaceURI resolves prefixes through them), text
// flagged as whitespace the way etree flags it, and the tokens around the
// root (declaration, comments, a BOM) as children of the document.
func read(path string, data []byte, lines lineIndex) (*etree.Document, map[*etree.Element]span, error) {
	if err := checkConflictMarkers(path, data, lines); err != nil {
		return nil, nil, err
	}
	var charset string // a declared encoding other than UTF-8, refused
	tree, spans, err := build(path, data, lines, &fastTokens{data: data}, &charset)
	if !errors.Is(err, errFallback) {
		return tree, spans, err
	}
	// Read again by encoding/xml alone, which says exactly what is wrong
	// (or reads what the fast tokenizer leaves to it).
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	dec.CharsetReader = func(name string, _ io.Reader) (io.Reader, error) {
		charset = name
		return nil, fmt.Errorf("encoding %q is not supported", name)
	}
	return build(path, data, lines, xmlTokens{dec}, &charset)
}

// build makes the tree and the spans from the tokens of data; charset is
// the encoding the file declared, when the tokenizer refused it.
func build(path string, data []byte, lines lineIndex, toks tokenizer, charset *string) (*etree.Document, map[*etree.Element]span, error) {
	type open struct {
		name xml.Name
		el   *etree.Element
		span span // Start and StartEnd known; the rest set at the end tag
	}
	var (
		tree     = etree.NewDocument()
		spans    = make(map[*etree.Element]span)
		stack    []open
		rootDone bool
	)
	parent := func() *etree.Element {
		if len(stack) == 0 {
			return &tree.Element
		}
		return stack[len(stack)-1].el
	}
	fail := func(offset int, cause error, format string, a ...any) error {
		return &Error{Path: path, Pos: lines.pos(offset), Msg: fmt.Sprintf(format, a...), Err: cause}
	}
	for {
		tok, before, after, err := toks.next()
		if err == io.EOF {
			break
		}
		if errors.Is(err, errFallback) {
			return nil, nil, err
		}
		if err != nil && *charset != "" {
			return nil, nil, fail(before, fmt.Errorf("%w: %w", ErrMalformed, err),
				"the file declares encoding %q; bgtask reads UTF-8 manifests (what Visual Studio writes): save it as UTF-8", *charset)
		}
		if err != nil {
			msg := syntaxMessage(err)
			// The decoder notices a missing closing quote at the next tag;
			// the mistake is the attribute left open, often lines before.
			if strings.Contains(msg, "unescaped < inside quoted string") {
				if name, start, ok := unclosedAttribute(data, after); ok {
					return nil, nil, fail(start, fmt.Errorf("%w: %w", ErrMalformed, err),
						"malformed XML: the value of attribute %s is not closed: a quote is missing before the next tag at line %d; add the closing quote",
						name, lines.pos(after).Line)
				}
			}
			return nil, nil, fail(after, fmt.Errorf("%w: %w", ErrMalformed, err),
				"malformed XML: %s; fix the file so it is well-formed XML", msg)
		}
		switch t := tok.(type) {
		case xml.ProcInst:
			if t.Target == "xml" && before != lines.bom {
				return nil, nil, fail(before, ErrMalformed, "malformed XML: the <?xml ...?> declaration must be the very first thing in the file; delete what comes before it")
			}
			parent().CreateProcInst(t.Target, string(t.Inst))
		case xml.StartElement:
			if len(t.Attr) > MaxAttributes {
				return nil, nil, fail(before, ErrTooManyAttributes, "<%s> has %d attributes, more than the %d bgtask reads; elements of a real manifest have a few dozen at most, so this file is not a manifest",
					qname(t.Name), len(t.Attr), MaxAttributes)
			}
			if dup, ok := duplicateAttr(t.Attr); ok {
				return nil, nil, fail(before, ErrMalformed, "malformed XML: attribute %s appears twice in <%s>; keep one", qname(dup), qname(t.Name))
			}
			if rootDone {
				return nil, nil, fail(before, ErrMalformed, "malformed XML: element <%s> after the root element has ended; a manifest has exactly one root, <Package>", qname(t.Name))
			}
			if len(stack) >= MaxDepth {
				return nil, nil, fail(before, ErrTooDeep, "elements nested more than %d deep; a real manifest nests about 10, so this file is not a manifest", MaxDepth)
			}
			el := newElement(parent(), t)
			stack = append(stack, open{name: t.Name, el: el, span: span{Start: before, StartEnd: after}})
		case xml.EndElement:
			if len(stack) == 0 {
				return nil, nil, fail(before, ErrMalformed, "malformed XML: end tag </%s> without a start tag", qname(t.Name))
			}
			top := stack[len(stack)-1]
			if top.name != t.Name {
				return nil, nil, fail(before, ErrMalformed, "malformed XML: end tag </%s> does not match <%s> opened at %s; close elements in the order they were opened",
					qname(t.Name), qname(top.name), lines.pos(top.span.Start).lineCol())
			}
			stack = stack[:len(stack)-1]
			s := top.span
			s.EndStart, s.End = before, after
			// encoding/xml reports <X/> as a start and an end token, the
			// end consuming no input.
			s.SelfClosing = before == after
			if s.SelfClosing {
				s.EndStart = s.StartEnd
			}
			spans[top.el] = s
			if len(stack) == 0 {
				rootDone = true
			}
		case xml.Directive:
			return nil, nil, fail(before, ErrDTD, "a DTD or <!DOCTYPE> is not allowed in a manifest (its entities could expand without bound); delete it")
		case xml.CharData:
			if len(stack) == 0 && !isBlankOutsideRoot(t, before) {
				return nil, nil, fail(before, ErrMalformed, "malformed XML: text outside the root element; delete it")
			}
			// SetData, unlike CreateText, sets the whitespace flag etree's
			// reader sets (Indent and friends rely on it).
			parent().CreateText("").SetData(string(t))
		case xml.Comment:
			parent().CreateComment(string(t))
		}
	}
	if len(stack) > 0 {
		top := stack[len(stack)-1]
		return nil, nil, fail(top.span.Start, ErrMalformed, "malformed XML: <%s> is never closed (the file ends first); add </%s> or restore the missing end of the file",
			qname(top.name), qname(top.name))
	}
	if len(spans) == 0 {
		return nil, nil, fail(len(data), ErrNotManifest, "no XML element found; a manifest's root element is <Package>")
	}
	return tree, spans, nil
}

// newElement adds the element of start tag t to parent, named and attributed
// as encoding/xml split it. etree's Create functions split names themselves,
// differently for the odd ones (encoding/xml leaves ":a" and "a:" whole, etree
// would cut them at the colon), so the names are set after creation.
func newElement(parent *etree.Element, t xml.StartElement) *etree.Element {
	el := parent.CreateElement("")
	el.Space, el.Tag = t.Name.Space, t.Name.Local
	if len(t.Attr) == 0 {
		return el
	}
	// CreateAttr looks for an attribute of the same name first, so calling
	// it for each attribute costs time quadratic in their number. It is
	// called once (CreateAttr("") never matches: no real name is empty), for
	// an attribute whose element is el; the others are copies of it, which
	// keep that element. The caller has already refused duplicate names.
	el.Attr = make([]etree.Attr, 0, len(t.Attr))
	first := *el.CreateAttr("", "")
	el.Attr = el.Attr[:0]
	for _, a := range t.Attr {
		attr := first
		attr.Space, attr.Key, attr.Value = a.Name.Space, a.Name.Local, a.Value
		el.Attr = append(el.Attr, attr)
	}
	return el
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
	return isBlank(text)
}

// isBlank reports whether b is all whitespace.
func isBlank(b []byte) bool { return len(bytes.TrimSpace(b)) == 0 }

// duplicateAttr returns an attribute name that occurs twice, which XML
// forbids and etree would silently collapse into one.
func duplicateAttr(attrs []xml.Attr) (xml.Name, bool) {
	// A few attributes, as real elements have, are compared pairwise; past
	// that a set keeps the check linear in their number.
	if len(attrs) <= 16 {
		for i := 1; i < len(attrs); i++ {
			for j := 0; j < i; j++ {
				if attrs[i].Name == attrs[j].Name {
					return attrs[i].Name, true
				}
			}
		}
		return xml.Name{}, false
	}
	seen := make(map[xml.Name]struct{}, len(attrs))
	for _, a := range attrs {
		if _, dup := seen[a.Name]; dup {
			return a.Name, true
		}
		seen[a.Name] = struct{}{}
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

// qname is how name is written in the file, for messages.
func qname(n xml.Name) string { return qualified(n.Space, n.Local) }

func (p Pos) lineCol() string { return fmt.Sprintf("%d:%d", p.Line, p.Col) }
