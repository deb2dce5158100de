package manifest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// tokenKind is what a token is, one per token type of encoding/xml.
type tokenKind uint8

const (
	kindStart tokenKind = iota + 1
	kindEnd
	kindText
	kindComment
	kindProcInst
	kindDirective
)

// token is one token as encoding/xml's RawToken reads it, with the byte
// offsets it starts and ends at. It is a struct filled in place, not an
// xml.Token: an interface holding a StartElement costs an allocation per
// token, and names and text here are slices of the file's one string.
type token struct {
	kind tokenKind
	// name is a tag's name; for a processing instruction, Local is its target.
	name xml.Name
	// attrs are a start tag's attributes, valid until the next call.
	attrs []xml.Attr
	// text is the text, comment, directive, or processing instruction's
	// instruction, as encoding/xml gives it (line ends normalized).
	text          string
	before, after int
}

// xmlToken is t as encoding/xml's RawToken returns it (for tests: the
// fast tokenizer is checked against encoding/xml token for token).
func (t *token) xmlToken() xml.Token {
	switch t.kind {
	case kindStart:
		return xml.StartElement{Name: t.name, Attr: append([]xml.Attr{}, t.attrs...)}
	case kindEnd:
		return xml.EndElement{Name: t.name}
	case kindText:
		return xml.CharData(t.text)
	case kindComment:
		return xml.Comment(t.text)
	case kindProcInst:
		return xml.ProcInst{Target: t.name.Local, Inst: []byte(t.text)}
	case kindDirective:
		return xml.Directive(t.text)
	}
	return nil
}

// setXML fills t from encoding/xml's token tok.
func (t *token) setXML(tok xml.Token) {
	t.name, t.attrs, t.text = xml.Name{}, t.attrs[:0], ""
	switch tok := tok.(type) {
	case xml.StartElement:
		t.kind, t.name, t.attrs = kindStart, tok.Name, append(t.attrs, tok.Attr...)
	case xml.EndElement:
		t.kind, t.name = kindEnd, tok.Name
	case xml.CharData:
		t.kind, t.text = kindText, string(tok)
	case xml.Comment:
		t.kind, t.text = kindComment, string(tok)
	case xml.ProcInst:
		t.kind, t.name.Local, t.text = kindProcInst, tok.Target, string(tok.Inst)
	case xml.Directive:
		t.kind, t.text = kindDirective, string(tok)
	}
}

// tokenizer yields the tokens encoding/xml's RawToken yields, with the byte
// offsets each starts and ends at, into t; at the end it returns io.EOF.
type tokenizer interface {
	next(t *token) error
}

// xmlTokens is encoding/xml's decoder itself: the definition of what a
// manifest's tokens are, and the one that reports what is wrong with a file.
type xmlTokens struct{ dec *xml.Decoder }

func (x xmlTokens) next(t *token) error {
	t.before = int(x.dec.InputOffset())
	tok, err := x.dec.RawToken()
	t.after = int(x.dec.InputOffset())
	if err != nil {
		return err
	}
	t.setXML(tok)
	return nil
}

// errFallback is how fastTokens gives up: the file is read again with
// encoding/xml's decoder, which gives the exact error, or reads what the
// fast path does not.
var errFallback = errors.New("not on the fast path")

// fastTokens reads the tokens of a well-formed manifest as encoding/xml
// would, several times faster: encoding/xml reads a byte at a time through
// an interface and copies every name; this scans the file in place, and its
// names, values and text are slices of src, the file as one string. It
// reads the common case only, and hands the rest back exactly:
//   - a tag whose names are ASCII and whose values hold no '&' and only
//     XML characters in valid UTF-8, and text of the same kind, are read
//     here (CR LF and a lone CR in them become LF, in a copy);
//   - other tags and text, comments, CDATA and processing instructions are
//     read by encoding/xml from their own bytes (a token's meaning does not
//     depend on what surrounds it, for RawToken);
//   - anything malformed, and directives (DOCTYPE), give errFallback, and
//     the whole file is read by xmlTokens, for its exact error.
//
// FuzzFastTokens checks it against encoding/xml token for token.
type fastTokens struct {
	src       string
	pos       int
	needClose bool // the last start tag was self-closing: its end comes next
	toClose   xml.Name
}

func (f *fastTokens) next(t *token) error {
	t.name, t.attrs, t.text = xml.Name{}, t.attrs[:0], ""
	if f.needClose {
		f.needClose = false
		t.kind, t.name, t.before, t.after = kindEnd, f.toClose, f.pos, f.pos
		return nil
	}
	start := f.pos
	t.before, t.after = start, start
	if start >= len(f.src) {
		return io.EOF
	}
	src := f.src
	if src[start] != '<' {
		end := strings.IndexByte(src[start:], '<')
		if end < 0 {
			end = len(src)
		} else {
			end += start
		}
		f.pos = end
		if text, ok := plainText(src[start:end]); ok && !strings.Contains(src[start:end], "]]>") {
			t.kind, t.text, t.after = kindText, text, end
			return nil
		}
		return f.delegate(t, start, end)
	}
	if start+1 >= len(src) {
		return errFallback
	}
	switch src[start+1] {
	case '/':
		name, i, ok := scanName(src, start+2)
		if !ok {
			return errFallback
		}
		i = skipSpace(src, i)
		if i >= len(src) || src[i] != '>' {
			return errFallback
		}
		f.pos = i + 1
		t.kind, t.name, t.after = kindEnd, name, f.pos
		return nil
	case '?':
		// The declaration Visual Studio writes; others go to encoding/xml,
		// which checks the version and the encoding.
		for _, decl := range commonDeclarations {
			if strings.HasPrefix(src[start:], decl) {
				f.pos = start + len(decl)
				t.kind, t.name, t.text, t.after = kindProcInst, xml.Name{Local: "xml"}, decl[len("<?xml "):len(decl)-len("?>")], f.pos
				return nil
			}
		}
		return f.delegateUntil(t, start, "?>")
	case '!':
		switch {
		case strings.HasPrefix(src[start:], "<!--"):
			return f.delegateUntil(t, start, "-->")
		case strings.HasPrefix(src[start:], "<![CDATA["):
			return f.delegateUntil(t, start, "]]>")
		}
		return errFallback
	}
	return f.startTag(t, start)
}

// startTag reads the start tag at start.
func (f *fastTokens) startTag(t *token, start int) error {
	src := f.src
	name, i, ok := scanName(src, start+1)
	if !ok {
		return errFallback
	}
	plain := true
	for {
		i = skipSpace(src, i)
		if i >= len(src) {
			return errFallback
		}
		if src[i] == '>' || src[i] == '/' {
			break
		}
		var a xml.Attr
		if a.Name, i, ok = scanName(src, i); !ok {
			return errFallback
		}
		i = skipSpace(src, i)
		if i >= len(src) || src[i] != '=' {
			return errFallback
		}
		i = skipSpace(src, i+1)
		if i >= len(src) || (src[i] != '"' && src[i] != '\'') {
			return errFallback
		}
		end := strings.IndexByte(src[i+1:], src[i])
		if end < 0 {
			return errFallback
		}
		value := src[i+1 : i+1+end]
		if strings.IndexByte(value, '<') >= 0 {
			return errFallback
		}
		if text, ok := plainText(value); plain && ok {
			a.Value = text
		} else {
			plain = false
		}
		t.attrs = append(t.attrs, a)
		i += end + 2
	}
	empty := src[i] == '/'
	if empty {
		if i+1 >= len(src) || src[i+1] != '>' {
			return errFallback
		}
		i++
	}
	end := i + 1
	if !plain {
		if err := f.delegate(t, start, end); err != nil {
			return err
		}
		f.needClose, f.toClose = empty, name
		return nil
	}
	f.pos = end
	f.needClose, f.toClose = empty, name
	t.kind, t.name, t.after = kindStart, name, end
	return nil
}

// commonDeclarations are XML declarations encoding/xml accepts as they are
// (version 1.0, UTF-8).
var commonDeclarations = [...]string{
	`<?xml version="1.0" encoding="utf-8"?>`,
	`<?xml version="1.0" encoding="UTF-8"?>`,
	`<?xml version="1.0"?>`,
}

// delegateUntil has encoding/xml read the token from start to the first
// terminator after its opening.
func (f *fastTokens) delegateUntil(t *token, start int, terminator string) error {
	end := strings.Index(f.src[start+2:], terminator)
	if end < 0 {
		return errFallback
	}
	return f.delegate(t, start, start+2+end+len(terminator))
}

// delegate has encoding/xml read src[start:end] as exactly one token.
func (f *fastTokens) delegate(t *token, start, end int) error {
	dec := xml.NewDecoder(strings.NewReader(f.src[start:end]))
	dec.Strict = true
	dec.CharsetReader = func(string, io.Reader) (io.Reader, error) { return nil, errFallback }
	tok, err := dec.RawToken()
	if err != nil || int(dec.InputOffset()) != end-start {
		return errFallback
	}
	f.pos = end
	// A start tag read whole; its end, if self-closing, is the caller's.
	t.setXML(tok)
	t.before, t.after = start, end
	return nil
}

// plainText returns s as encoding/xml reads it when that takes none of its
// reference decoding: s holds no '&', is valid UTF-8 and only XML
// characters. Line ends are normalized as encoding/xml does (CR LF and a
// lone CR become LF), in a copy; otherwise s itself is returned.
func plainText(s string) (string, bool) {
	// Most text and values are printable ASCII without '&' or CR: skip
	// those bytes a table lookup at a time, then look closer.
	i := 0
	for i < len(s) && !textSpecial[s[i]] {
		i++
	}
	if i == len(s) {
		return s, true
	}
	cr := false
	for i < len(s) {
		c := s[i]
		switch {
		case c == '&':
			return "", false
		case c == '\r':
			cr = true
			i++
		case c < utf8.RuneSelf:
			if c < 0x20 && c != '\t' && c != '\n' {
				return "", false
			}
			i++
		default:
			r, n := utf8.DecodeRuneInString(s[i:])
			if (r == utf8.RuneError && n == 1) || !isXMLChar(r) {
				return "", false
			}
			i += n
		}
	}
	if !cr {
		return s, true
	}
	out := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] != '\r' {
			out = append(out, s[i])
			continue
		}
		out = append(out, '\n')
		if i+1 < len(s) && s[i+1] == '\n' {
			i++
		}
	}
	return string(out), true
}

// textSpecial marks the bytes plainText must look at: '&', CR, control
// characters other than tab and LF, and every byte of a non-ASCII character.
var textSpecial = func() (t [256]bool) {
	for c := range t {
		t[c] = c == '&' || c == '\r' || c < 0x20 && c != '\t' && c != '\n' || c >= utf8.RuneSelf
	}
	return t
}()

// isXMLChar is XML 1.0's Char production, as encoding/xml checks it.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// scanName reads an ASCII XML name at i and splits it as encoding/xml does:
// at its colon, unless that leaves a side empty; a second colon is an error.
func scanName(src string, i int) (xml.Name, int, bool) {
	start := i
	if i >= len(src) || !isNameStart(src[i]) {
		return xml.Name{}, i, false
	}
	colon, colons := -1, 0
	for i < len(src) && nameByte[src[i]] {
		if src[i] == ':' {
			colon, colons = i, colons+1
		}
		i++
	}
	if i >= len(src) || src[i] >= 0x80 {
		return xml.Name{}, i, false
	}
	switch colons {
	case 0:
		return xml.Name{Local: src[start:i]}, i, true
	case 1:
		if colon > start && colon < i-1 {
			return xml.Name{Space: src[start:colon], Local: src[colon+1 : i]}, i, true
		}
		return xml.Name{Local: src[start:i]}, i, true
	}
	return xml.Name{}, i, false
}

func isNameStart(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
}

func isNameByte(c byte) bool {
	return isNameStart(c) || '0' <= c && c <= '9' || c == '.' || c == '-'
}

// nameByte is isNameByte as a table, for the loop over a name's bytes.
var nameByte = func() (t [256]bool) {
	for c := range t {
		t[c] = isNameByte(byte(c))
	}
	return t
}()

func skipSpace(src string, i int) int {
	for i < len(src) {
		switch src[i] {
		case ' ', '\r', '\n', '\t':
			i++
		default:
			return i
		}
	}
	return i
}

// tokenString describes a token for the fuzz test's messages.
func tokenString(tok xml.Token) string { return fmt.Sprintf("%T %v", tok, tok) }
