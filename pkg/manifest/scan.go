package manifest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"unicode/utf8"

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
// builds from the same tokens both the etree tree used for queries and the
// span of every element used by edits. It checks what encoding/xml leaves to
// its caller (matching end tags, a single root, no DTD, bounded depth), so
// every refusal carries a position; etree's own reader would decode the file
// a second time and report errors without one.
//
// The tree is what etree's reader (v1.8.1, default settings) builds from the
// same tokens: names split as encoding/xml splits them, attributes in order
// with their element set (NamespaceURI resolves prefixes through them), text
// flagged as whitespace the way etree flags it, and the tokens around the
// root (declaration, comments, a BOM) as children of the document.
//
// It goes in two passes: the first checks the tokens and records them
// (nodes), the second builds the tree from the record with one allocation
// per kind of object, each exactly sized. The tree of a 4 KiB manifest is a
// few hundred small objects; allocated one by one, with every name and text
// copied out of the file, they cost more than all of lint's rules. Names,
// values and text are slices of one string copy of data.
func read(path string, data []byte, lines lineIndex) (*etree.Document, map[*etree.Element]span, error) {
	if err := checkConflictMarkers(path, data, lines); err != nil {
		return nil, nil, err
	}
	src := string(data)
	r := recordPool.Get().(*record)
	defer r.release()
	// A large file's record is sized once, to bounds counted in its bytes,
	// rather than grown by appends, which copied it again and again:
	// `manifest add` into a manifest of 10,000 declarations spent a quarter
	// of its CPU time so. Small files, the many that lint reads, reuse a
	// pooled record as it is.
	if len(data) > 64<<10 {
		r.reserve(recordBounds(data))
	}
	var charset string // a declared encoding other than UTF-8, refused
	err := r.check(path, data, lines, &fastTokens{src: src}, &charset)
	if errors.Is(err, errFallback) {
		// Read again by encoding/xml alone, which says exactly what is wrong
		// (or reads what the fast tokenizer leaves to it).
		err = r.check(path, data, lines, xmlTokens{strictDecoder(src, &charset)}, &charset)
	}
	if err != nil {
		return nil, nil, err
	}
	tree, spans := r.build()
	return tree, spans, nil
}

// strictDecoder is encoding/xml's reader of src as read falls back to it: a
// declared encoding other than UTF-8 is refused and noted in charset.
func strictDecoder(src string, charset *string) *xml.Decoder {
	dec := xml.NewDecoder(strings.NewReader(src))
	dec.Strict = true
	dec.CharsetReader = func(name string, _ io.Reader) (io.Reader, error) {
		*charset = name
		return nil, fmt.Errorf("encoding %q is not supported", name)
	}
	return dec
}

// record is what read's first pass keeps of the tokens: the nodes of the
// tree in document order, each with its parent, and every element's name,
// attributes, span and number of children. Records are reused (recordPool):
// linting many files would otherwise grow a new one per file.
type record struct {
	tok         token
	nodes       []node
	elems       []elemRecord
	attrs       []xml.Attr
	open        []int // the elements open at this point, indexes into elems
	docChildren int
}

// node is one child token of an element or of the document.
type node struct {
	kind   tokenKind // kindStart (an element), kindText, kindComment or kindProcInst
	parent int       // index into elems; -1 for the document
	elem   int       // kindStart: index into elems
	target string    // kindProcInst
	text   string
}

type elemRecord struct {
	name     xml.Name
	attrs    int // index of its first attribute in record.attrs
	nattrs   int
	children int
	span     span // Start and StartEnd known at the start tag; the rest at the end tag
}

// recordPool keeps records for reuse; the pool drops them at garbage
// collections, so the strings of a file a record read are not held for long.
var recordPool = sync.Pool{New: func() any { return new(record) }}

// maxPooledNodes keeps the record of a huge file out of the pool.
const maxPooledNodes = 1 << 14

// recordBounds bounds what read records of data, from three counts of its
// bytes (under a millisecond for a 2.4 MB file): every element
// starts with a '<' that does not begin "</" (comments, processing
// instructions and CDATA sections too, each a node of its own); every text
// lies between two of the tags, or before the first or after the last; and
// every attribute has its '='. A bound too low only costs appends. The
// count of '<' alone, tried first, sized the nodes, elements and attributes
// of a manifest of background task declarations too small, and appends
// still took a fifth of `manifest add`'s CPU.
func recordBounds(data []byte) (nodes, elems, attrs int) {
	tags := bytes.Count(data, []byte{'<'})
	elems = tags - bytes.Count(data, []byte("</"))
	return elems + tags + 1, elems, bytes.Count(data, []byte{'='})
}

// reserve makes room for nodes, elems and attrs without growing.
func (r *record) reserve(nodes, elems, attrs int) {
	if cap(r.nodes) < nodes {
		r.nodes = make([]node, 0, nodes)
	}
	if cap(r.elems) < elems {
		r.elems = make([]elemRecord, 0, elems)
	}
	if cap(r.attrs) < attrs {
		r.attrs = make([]xml.Attr, 0, attrs)
	}
}

func (r *record) reset() {
	r.nodes, r.elems, r.attrs, r.open, r.docChildren = r.nodes[:0], r.elems[:0], r.attrs[:0], r.open[:0], 0
}

func (r *record) release() {
	if cap(r.nodes) <= maxPooledNodes && cap(r.attrs) <= maxPooledNodes {
		recordPool.Put(r)
	}
}

// add records n as the next child of the innermost open element.
func (r *record) add(n node) {
	n.parent = -1
	if len(r.open) > 0 {
		n.parent = r.open[len(r.open)-1]
		r.elems[n.parent].children++
	} else {
		r.docChildren++
	}
	r.nodes = append(r.nodes, n)
}

// check reads the tokens of data, checks them and records them.
func (r *record) check(path string, data []byte, lines lineIndex, toks tokenizer, charset *string) error {
	r.reset()
	rootDone := false
	fail := func(offset int, cause error, format string, a ...any) error {
		return &Error{Path: path, Pos: lines.pos(offset), Msg: fmt.Sprintf(format, a...), Err: cause}
	}
	t := &r.tok
	for {
		err := toks.next(t)
		before, after := t.before, t.after
		if err == io.EOF {
			break
		}
		if err != nil && errors.Is(err, errFallback) {
			return err
		}
		if err != nil && *charset != "" {
			return fail(before, fmt.Errorf("%w: %w", ErrMalformed, err),
				"the file declares encoding %q; bgtask reads UTF-8 manifests (what Visual Studio writes): save it as UTF-8", *charset)
		}
		if err != nil {
			msg := syntaxMessage(err)
			// The decoder notices a missing closing quote at the next tag;
			// the mistake is the attribute left open, often lines before.
			if strings.Contains(msg, "unescaped < inside quoted string") {
				if name, start, ok := unclosedAttribute(data, after); ok {
					return fail(start, fmt.Errorf("%w: %w", ErrMalformed, err),
						"malformed XML: the value of attribute %s is not closed: a quote is missing before the next tag at line %d; add the closing quote",
						name, lines.pos(after).Line)
				}
			}
			return fail(offendingByte(data, before, after, msg), fmt.Errorf("%w: %w", ErrMalformed, err),
				"malformed XML: %s; fix the file so it is well-formed XML", msg)
		}
		switch t.kind {
		case kindProcInst:
			if t.name.Local == "xml" && before != lines.bom {
				return fail(before, ErrMalformed, "malformed XML: the <?xml ...?> declaration must be the very first thing in the file; delete what comes before it")
			}
			r.add(node{kind: kindProcInst, target: t.name.Local, text: t.text})
		case kindStart:
			if len(t.attrs) > MaxAttributes {
				return fail(before, ErrTooManyAttributes, "<%s> has %d attributes, more than the %d bgtask reads; elements of a real manifest have a few dozen at most, so this file is not a manifest",
					qname(t.name), len(t.attrs), MaxAttributes)
			}
			if dup, ok := duplicateAttr(t.attrs); ok {
				return fail(before, ErrMalformed, "malformed XML: attribute %s appears twice in <%s>; keep one", qname(dup), qname(t.name))
			}
			if rootDone {
				return fail(before, ErrMalformed, "malformed XML: element <%s> after the root element has ended; a manifest has exactly one root, <Package>", qname(t.name))
			}
			if len(r.open) >= MaxDepth {
				return fail(before, ErrTooDeep, "elements nested more than %d deep; a real manifest nests about 10, so this file is not a manifest", MaxDepth)
			}
			i := len(r.elems)
			r.elems = append(r.elems, elemRecord{name: t.name, attrs: len(r.attrs), nattrs: len(t.attrs), span: span{Start: before, StartEnd: after}})
			r.attrs = append(r.attrs, t.attrs...)
			r.add(node{kind: kindStart, elem: i})
			r.open = append(r.open, i)
		case kindEnd:
			if len(r.open) == 0 {
				return fail(before, ErrMalformed, "malformed XML: end tag </%s> without a start tag", qname(t.name))
			}
			top := &r.elems[r.open[len(r.open)-1]]
			if top.name != t.name {
				return fail(before, ErrMalformed, "malformed XML: end tag </%s> does not match <%s> opened at %s; close elements in the order they were opened",
					qname(t.name), qname(top.name), lines.pos(top.span.Start).lineCol())
			}
			r.open = r.open[:len(r.open)-1]
			s := &top.span
			s.EndStart, s.End = before, after
			// encoding/xml reports <X/> as a start and an end token, the
			// end consuming no input.
			s.SelfClosing = before == after
			if s.SelfClosing {
				s.EndStart = s.StartEnd
			}
			if len(r.open) == 0 {
				rootDone = true
			}
		case kindDirective:
			return fail(before, ErrDTD, "a DTD or <!DOCTYPE> is not allowed in a manifest (its entities could expand without bound); delete it")
		case kindText:
			if len(r.open) == 0 && !isBlankOutsideRoot(t.text, before) {
				if strings.HasPrefix(strings.TrimLeft(t.text, " \t\r\n"), "\uFEFF") {
					// Invisible in an editor: name it, and how it got there.
					return fail(before, ErrMalformed, "malformed XML: a byte-order mark (U+FEFF) where only the file's first may be; delete it (a tool that adds a BOM to a file that has one leaves two)")
				}
				return fail(before, ErrMalformed, "malformed XML: text outside the root element; delete it")
			}
			r.add(node{kind: kindText, text: t.text})
		case kindComment:
			r.add(node{kind: kindComment, text: t.text})
		}
	}
	if len(r.open) > 0 {
		top := r.elems[r.open[len(r.open)-1]]
		return fail(top.span.Start, ErrMalformed, "malformed XML: <%s> is never closed (the file ends first); add </%s> or restore the missing end of the file",
			qname(top.name), qname(top.name))
	}
	if len(r.elems) == 0 {
		return fail(len(data), ErrNotManifest, "no XML element found; a manifest's root element is <Package>")
	}
	return nil
}

// build makes the tree and the spans from the record of a file check
// accepted. Elements, text, attributes and child lists each come out of one
// slice; a child list is cut with its capacity (s[i:i:j]), so a later edit
// that appends to one element's children copies them rather than writing
// over its neighbour's.
func (r *record) build() (*etree.Document, map[*etree.Element]span) {
	texts := 0
	for _, n := range r.nodes {
		if n.kind == kindText {
			texts++
		}
	}
	var (
		tree  = etree.NewDocument()
		elems = make([]etree.Element, len(r.elems))
		chars = make([]etree.CharData, texts)
		kids  = make([]etree.Token, len(r.nodes)) // each node is one element's (or the document's) child
		attrs = make([]etree.Attr, len(r.attrs))
		spans = make(map[*etree.Element]span, len(r.elems))
	)
	tree.Child = kids[:0:r.docChildren]
	k := r.docChildren
	for i := range elems {
		rec, el := &r.elems[i], &elems[i]
		el.Space, el.Tag = rec.name.Space, rec.name.Local
		el.Child = kids[k : k : k+rec.children]
		k += rec.children
		el.Attr = attrs[rec.attrs : rec.attrs : rec.attrs+rec.nattrs]
		if rec.nattrs > 0 {
			// An attribute knows its element (NamespaceURI resolves its prefix
			// through it) by a field only etree sets: CreateAttr makes one,
			// the rest are copies of it. CreateAttr("") matches no attribute
			// (no real name is empty), so it only appends.
			first := *el.CreateAttr("", "")
			el.Attr = el.Attr[:0]
			for _, a := range r.attrs[rec.attrs : rec.attrs+rec.nattrs] {
				attr := first
				attr.Space, attr.Key, attr.Value = a.Name.Space, a.Name.Local, a.Value
				el.Attr = append(el.Attr, attr)
			}
		}
		spans[el] = rec.span
	}
	c := 0
	for _, n := range r.nodes {
		parent := &tree.Element
		if n.parent >= 0 {
			parent = &elems[n.parent]
		}
		switch n.kind {
		case kindStart:
			parent.AddChild(&elems[n.elem])
		case kindText:
			// SetData, unlike CreateText, sets the whitespace flag etree's
			// reader sets (Indent and friends rely on it).
			chars[c].SetData(n.text)
			parent.AddChild(&chars[c])
			c++
		case kindComment:
			parent.AddChild(&etree.Comment{Data: n.text})
		case kindProcInst:
			parent.AddChild(&etree.ProcInst{Target: n.target, Inst: n.text})
		}
	}
	return tree, spans
}

// checkConflictMarkers reports a git conflict marker at the start of a line.
// encoding/xml would call it malformed XML somewhere after it; the real cause
// is an unfinished merge.
func checkConflictMarkers(path string, data []byte, lines lineIndex) error {
	for from := 0; ; {
		i := bytes.Index(data[from:], []byte("<<<<<<<"))
		if i < 0 {
			return nil
		}
		at := from + i
		if at == 0 || data[at-1] == '\n' {
			return &Error{Path: path, Pos: lines.pos(at), Err: ErrConflictMarker,
				Msg: "unresolved merge conflict (a <<<<<<< marker); resolve the conflict, delete the <<<<<<<, ======= and >>>>>>> lines, and run again"}
		}
		from = at + 1
	}
}

// isBlankOutsideRoot allows whitespace and the byte-order mark around the root.
func isBlankOutsideRoot(text string, offset int) bool {
	if offset == 0 {
		text = strings.TrimPrefix(text, utf8BOM)
	}
	return strings.TrimSpace(text) == ""
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

// offendingByte is where in data[from:to], the token the decoder refused,
// the character its message names is: the decoder reports where the token
// ends, which for a long text can be lines after the mistake. It knows the
// messages of encoding/xml for a byte that is not UTF-8, a character XML
// forbids and an undefined entity; for any other, or when the character is
// not found, it is to, where the decoder stopped.
func offendingByte(data []byte, from, to int, msg string) int {
	if from < 0 || to > len(data) || from >= to {
		return to
	}
	token := data[from:to]
	switch {
	case strings.Contains(msg, "invalid UTF-8"):
		for i := 0; i < len(token); {
			r, size := utf8.DecodeRune(token[i:])
			if r == utf8.RuneError && size == 1 {
				return from + i
			}
			i += size
		}
	case strings.Contains(msg, "illegal character code"):
		for i, r := range string(token) {
			if !isXMLChar(r) {
				return from + i
			}
		}
	case strings.Contains(msg, "invalid character entity "):
		// "invalid character entity &bogus;" or "... &bogus (no semicolon)"
		entity := msg[strings.Index(msg, "invalid character entity ")+len("invalid character entity "):]
		entity, _, _ = strings.Cut(entity, " ")
		if i := bytes.Index(token, []byte(entity)); entity != "" && i >= 0 {
			return from + i
		}
	}
	return to
}
