package manifest

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// tokenizer yields the tokens encoding/xml's RawToken yields, with the byte
// offsets each starts and ends at.
type tokenizer interface {
	next() (tok xml.Token, before, after int, err error)
}

// xmlTokens is encoding/xml's decoder itself: the definition of what a
// manifest's tokens are, and the one that reports what is wrong with a file.
type xmlTokens struct{ dec *xml.Decoder }

func (t xmlTokens) next() (xml.Token, int, int, error) {
	before := int(t.dec.InputOffset())
	tok, err := t.dec.RawToken()
	return tok, before, int(t.dec.InputOffset()), err
}

// errFallback is how fastTokens gives up: the file is read again with
// encoding/xml's decoder, which gives the exact error, or reads what the
// fast path does not.
var errFallback = errors.New("not on the fast path")

// fastTokens reads the tokens of a well-formed manifest as encoding/xml
// would, several times faster: encoding/xml reads a byte at a time through
// an interface and copies every name; this scans the bytes in place. It
// reads the common case only, and hands the rest back exactly:
//   - a tag whose names are ASCII and whose values hold no '&', CR, control
//     or non-ASCII byte, and text of the same kind, are read here;
//   - other tags and text, comments, CDATA and processing instructions are
//     read by encoding/xml from their own bytes (a token's meaning does not
//     depend on what surrounds it, for RawToken);
//   - anything malformed, and directives (DOCTYPE), give errFallback, and
//     the whole file is read by xmlTokens, for its exact error.
//
// FuzzFastTokens checks it against encoding/xml token for token.
type fastTokens struct {
	data      []byte
	pos       int
	needClose bool // the last start tag was self-closing: its end comes next
	toClose   xml.Name
}

func (t *fastTokens) next() (xml.Token, int, int, error) {
	if t.needClose {
		t.needClose = false
		return xml.EndElement{Name: t.toClose}, t.pos, t.pos, nil
	}
	start := t.pos
	if start >= len(t.data) {
		return nil, start, start, io.EOF
	}
	data := t.data
	if data[start] != '<' {
		end := bytes.IndexByte(data[start:], '<')
		if end < 0 {
			end = len(data)
		} else {
			end += start
		}
		t.pos = end
		if text, ok := plainText(data[start:end]); ok && !bytes.Contains(data[start:end], []byte("]]>")) {
			return xml.CharData(text), start, end, nil
		}
		return t.delegate(start, end)
	}
	if start+1 >= len(data) {
		return nil, start, start, errFallback
	}
	switch data[start+1] {
	case '/':
		name, i, ok := scanName(data, start+2)
		if !ok {
			return nil, start, start, errFallback
		}
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != '>' {
			return nil, start, start, errFallback
		}
		t.pos = i + 1
		return xml.EndElement{Name: name}, start, t.pos, nil
	case '?':
		// The declaration Visual Studio writes; others go to encoding/xml,
		// which checks the version and the encoding.
		for _, decl := range commonDeclarations {
			if bytes.HasPrefix(data[start:], []byte(decl)) {
				t.pos = start + len(decl)
				return xml.ProcInst{Target: "xml", Inst: []byte(decl[len("<?xml ") : len(decl)-len("?>")])}, start, t.pos, nil
			}
		}
		return t.delegateUntil(start, "?>")
	case '!':
		switch {
		case bytes.HasPrefix(data[start:], []byte("<!--")):
			return t.delegateUntil(start, "-->")
		case bytes.HasPrefix(data[start:], []byte("<![CDATA[")):
			return t.delegateUntil(start, "]]>")
		}
		return nil, start, start, errFallback
	}
	return t.startTag(start)
}

// startTag reads the start tag at start.
func (t *fastTokens) startTag(start int) (xml.Token, int, int, error) {
	data := t.data
	name, i, ok := scanName(data, start+1)
	if !ok {
		return nil, start, start, errFallback
	}
	attrs := []xml.Attr{}
	plain := true
	for {
		i = skipSpace(data, i)
		if i >= len(data) {
			return nil, start, start, errFallback
		}
		if data[i] == '>' || data[i] == '/' {
			break
		}
		var a xml.Attr
		if a.Name, i, ok = scanName(data, i); !ok {
			return nil, start, start, errFallback
		}
		i = skipSpace(data, i)
		if i >= len(data) || data[i] != '=' {
			return nil, start, start, errFallback
		}
		i = skipSpace(data, i+1)
		if i >= len(data) || (data[i] != '"' && data[i] != '\'') {
			return nil, start, start, errFallback
		}
		end := bytes.IndexByte(data[i+1:], data[i])
		if end < 0 {
			return nil, start, start, errFallback
		}
		value := data[i+1 : i+1+end]
		if bytes.IndexByte(value, '<') >= 0 {
			return nil, start, start, errFallback
		}
		if text, ok := plainText(value); plain && ok {
			a.Value = string(text)
		} else {
			plain = false
		}
		attrs = append(attrs, a)
		i += end + 2
	}
	empty := data[i] == '/'
	if empty {
		if i+1 >= len(data) || data[i+1] != '>' {
			return nil, start, start, errFallback
		}
		i++
	}
	end := i + 1
	if !plain {
		tok, before, after, err := t.delegate(start, end)
		if err != nil {
			return tok, before, after, err
		}
		t.needClose, t.toClose = empty, name
		return tok, before, after, nil
	}
	t.pos = end
	t.needClose, t.toClose = empty, name
	return xml.StartElement{Name: name, Attr: attrs}, start, end, nil
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
func (t *fastTokens) delegateUntil(start int, terminator string) (xml.Token, int, int, error) {
	end := bytes.Index(t.data[start+2:], []byte(terminator))
	if end < 0 {
		return nil, start, start, errFallback
	}
	return t.delegate(start, start+2+end+len(terminator))
}

// delegate has encoding/xml read data[start:end] as exactly one token.
func (t *fastTokens) delegate(start, end int) (xml.Token, int, int, error) {
	dec := xml.NewDecoder(bytes.NewReader(t.data[start:end]))
	dec.Strict = true
	dec.CharsetReader = func(string, io.Reader) (io.Reader, error) { return nil, errFallback }
	tok, err := dec.RawToken()
	if err != nil || int(dec.InputOffset()) != end-start {
		return nil, start, start, errFallback
	}
	t.pos = end
	// A start tag read whole; its end, if self-closing, is the caller's.
	return xml.CopyToken(tok), start, end, nil
}

// plainText returns b as encoding/xml reads it when that takes none of its
// reference decoding: b holds no '&', is valid UTF-8 and only XML
// characters. Line ends are normalized as encoding/xml does (CR LF and a
// lone CR become LF), in a copy; otherwise b itself is returned.
func plainText(b []byte) ([]byte, bool) {
	cr := false
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == '&':
			return nil, false
		case c == '\r':
			cr = true
			i++
		case c < utf8.RuneSelf:
			if c < 0x20 && c != '\t' && c != '\n' {
				return nil, false
			}
			i++
		default:
			r, n := utf8.DecodeRune(b[i:])
			if (r == utf8.RuneError && n == 1) || !isXMLChar(r) {
				return nil, false
			}
			i += n
		}
	}
	if !cr {
		return b, true
	}
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		if b[i] != '\r' {
			out = append(out, b[i])
			continue
		}
		out = append(out, '\n')
		if i+1 < len(b) && b[i+1] == '\n' {
			i++
		}
	}
	return out, true
}

// isXMLChar is XML 1.0's Char production, as encoding/xml checks it.
func isXMLChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF ||
		r >= 0xE000 && r <= 0xFFFD ||
		r >= 0x10000 && r <= 0x10FFFF
}

// scanName reads an ASCII XML name at i and splits it as encoding/xml does:
// at its colon, unless that leaves a side empty; a second colon is an error.
func scanName(data []byte, i int) (xml.Name, int, bool) {
	start := i
	if i >= len(data) || !isNameStart(data[i]) {
		return xml.Name{}, i, false
	}
	for i < len(data) && isNameByte(data[i]) {
		i++
	}
	if i >= len(data) || data[i] >= 0x80 {
		return xml.Name{}, i, false
	}
	s := string(data[start:i])
	switch strings.Count(s, ":") {
	case 0:
		return xml.Name{Local: s}, i, true
	case 1:
		if space, local, _ := strings.Cut(s, ":"); space != "" && local != "" {
			return xml.Name{Space: space, Local: local}, i, true
		}
		return xml.Name{Local: s}, i, true
	}
	return xml.Name{}, i, false
}

func isNameStart(c byte) bool {
	return 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || c == '_' || c == ':'
}

func isNameByte(c byte) bool {
	return isNameStart(c) || '0' <= c && c <= '9' || c == '.' || c == '-'
}

func skipSpace(data []byte, i int) int {
	for i < len(data) {
		switch data[i] {
		case ' ', '\r', '\n', '\t':
			i++
		default:
			return i
		}
	}
	return i
}

// String describes a token for the fuzz test's messages.
func tokenString(tok xml.Token) string { return fmt.Sprintf("%T %v", tok, tok) }
