package manifest

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// inFile reports whether s is empty or a slice of src's bytes, not a copy.
func inFile(s, src string) bool {
	if s == "" {
		return true
	}
	p := uintptr(unsafe.Pointer(unsafe.StringData(s)))
	b := uintptr(unsafe.Pointer(unsafe.StringData(src)))
	return p >= b && p+uintptr(len(s)) <= b+uintptr(len(src))
}

// copiedToken returns the first token of src whose name, attributes or text
// the fast tokenizer did not slice from src, described, or "" if there is
// none. encoding/xml copies every name, value and text it returns, so a copy
// is a token handed to it. Exempt are text whose bytes hold a CR (line ends
// are normalized in a copy) or a '&' (references are encoding/xml's), and
// the XML declaration (the tokenizer's own constant).
func copiedToken(t *testing.T, src string) string {
	t.Helper()
	f := &fastTokens{src: src}
	var tok token
	for {
		err := f.next(&tok)
		if err == io.EOF {
			return ""
		}
		if err != nil {
			t.Fatalf("%q: the fast tokenizer gave up (%v)", src, err)
		}
		raw := src[tok.before:tok.after]
		if tok.kind == kindProcInst || strings.ContainsAny(raw, "\r&") {
			continue
		}
		strs := []string{tok.name.Space, tok.name.Local, tok.text}
		for _, a := range tok.attrs {
			strs = append(strs, a.Name.Space, a.Name.Local, a.Value)
		}
		for _, s := range strs {
			if !inFile(s, src) {
				return fmt.Sprintf("%s at %d-%d (%q is a copy)", tokenString(tok.xmlToken()), tok.before, tok.after, s)
			}
		}
	}
}

// The common forms are read in place: every name, value and text is a slice
// of the file. This is sharper than TestFastTokensReadCommonFormsInPlace's
// count of allocations, which one token handed to encoding/xml does not
// always tip over encoding/xml's own for the whole form.
func TestFastTokensSliceTheFile(t *testing.T) {
	for _, src := range commonForms {
		if !sameTokens(t, []byte(src)) {
			t.Fatalf("%q: the fast tokenizer gave up", src)
		}
		if tok := copiedToken(t, src); tok != "" {
			t.Errorf("%q: %s: handed to encoding/xml", src, tok)
		}
	}
}

// XML 1.0's Char production at its bounds and around the surrogates, control
// characters and bytes that are not UTF-8, in text and in attribute values,
// alone, after ASCII or after a non-ASCII character (the tokenizer looks at
// a byte in one of two loops depending on what came before it): what
// encoding/xml accepts, Parse reads in place with encoding/xml's tokens and
// etree's tree; what it refuses, Parse refuses with encoding/xml's message
// at encoding/xml's offset.
func TestCharactersAtTheBoundsOfXML(t *testing.T) {
	for _, c := range []struct {
		s  string
		ok bool // a Char of XML 1.0 (https://www.w3.org/TR/xml/#charsets)
	}{
		{"\t", true}, {"\n", true}, {" ", true}, {"\x7f", true}, {"\u0080", true},
		{"\uD7FF", true}, {"\uE000", true}, {"\uFFFD", true}, {"\U00010000", true}, {"\U0010FFFF", true},
		{"\x00", false}, {"\x01", false}, {"\x08", false}, {"\x0b", false}, {"\x0c", false}, {"\x1f", false},
		{"\uFFFE", false}, {"\uFFFF", false},
		{"\xed\xa0\x80", false}, {"\xed\xbf\xbf", false}, // U+D800 and U+DFFF written as UTF-8
		{"\x80", false}, {"\xbf", false}, {"\xc3", false}, {"\xff", false}, // a stray continuation byte, a cut sequence, no UTF-8
		{"\xf4\x90\x80\x80", false}, // past U+10FFFF
	} {
		for _, around := range [][2]string{{"", ""}, {"x", "y"}, {"é", "é"}, {"é ", " x"}} {
			v := around[0] + c.s + around[1]
			for _, src := range []string{
				`<Package xmlns="` + NSFoundation + `">` + v + `</Package>`,
				`<Package xmlns="` + NSFoundation + `" x='` + v + `'/>`,
			} {
				t.Run(fmt.Sprintf("%q", src[len(`<Package xmlns="`+NSFoundation+`"`):]), func(t *testing.T) {
					checkCharacters(t, src, c.ok)
				})
			}
		}
	}
}

func checkCharacters(t *testing.T, src string, ok bool) {
	dec := xml.NewDecoder(strings.NewReader(src))
	dec.Strict = true
	var werr error
	for werr == nil {
		_, werr = dec.RawToken()
	}
	if werr == io.EOF {
		werr = nil
	}
	if (werr == nil) != ok {
		t.Fatalf("encoding/xml: %v; the test expects it to be accepted: %v", werr, ok)
	}
	whole := sameTokens(t, []byte(src))
	doc, err := Parse("c.appxmanifest", []byte(src))
	if ok {
		if !whole {
			t.Errorf("the fast tokenizer gave up")
		} else if tok := copiedToken(t, src); tok != "" {
			t.Errorf("%s: handed to encoding/xml", tok)
		}
		if err != nil {
			t.Fatalf("Parse: %v", err)
		}
		if err := sameAsEtreeReader(doc.Tree, []byte(src)); err != nil {
			t.Error(err)
		}
		return
	}
	if whole {
		t.Errorf("the fast tokenizer read it whole; encoding/xml refuses it: %v", werr)
	}
	var se *xml.SyntaxError
	if !errors.As(werr, &se) {
		t.Fatalf("encoding/xml's error %v is not a *xml.SyntaxError", werr)
	}
	var me *Error
	if !errors.As(err, &me) || !errors.Is(err, ErrMalformed) {
		t.Fatalf("Parse error = %v, want a malformed *Error", err)
	}
	// encoding/xml stops at the end of the token; Parse points at the
	// character its message names, the first such in the file here.
	want := int(dec.InputOffset())
	if at := namedCharacter(src, se.Msg); at >= 0 {
		want = at
	}
	if me.Pos.Offset != want || me.Pos.Line != 1+strings.Count(src[:want], "\n") || !strings.Contains(me.Msg, se.Msg) {
		t.Errorf("Parse: %v at offset %d; encoding/xml: %v, the character at offset %d", err, me.Pos.Offset, werr, want)
	}
}

// namedCharacter is the offset in src of the first character an
// encoding/xml message names (a byte not UTF-8, an illegal code point, an
// undefined entity), -1 for another message.
func namedCharacter(src, msg string) int {
	switch {
	case strings.Contains(msg, "invalid UTF-8"):
		for i := 0; i < len(src); {
			r, size := utf8.DecodeRuneInString(src[i:])
			if r == utf8.RuneError && size == 1 {
				return i
			}
			i += size
		}
	case strings.Contains(msg, "illegal character code U+"):
		hex := msg[strings.Index(msg, "U+")+2:]
		hex, _, _ = strings.Cut(hex, " ")
		if code, err := strconv.ParseUint(hex, 16, 32); err == nil {
			return strings.IndexRune(src, rune(code))
		}
	case strings.Contains(msg, "invalid character entity "):
		entity := msg[strings.Index(msg, "entity ")+len("entity "):]
		entity, _, _ = strings.Cut(entity, " ")
		return strings.Index(src, entity)
	}
	return -1
}

// A file over 64 KiB has its record sized from its count of '<' before it is
// read. Here that count is 1: a self-closing root and blank lines after it,
// read into a record made new (two garbage collections empty recordPool, as
// they do every sync.Pool).
func TestParseALargeFileWithOneTag(t *testing.T) {
	src := `<Package xmlns="` + NSFoundation + `"/>` + strings.Repeat("\r\n", 40<<10)
	runtime.GC()
	runtime.GC()
	doc, err := Parse("big.appxmanifest", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	if err := sameAsEtreeReader(doc.Tree, []byte(src)); err != nil {
		t.Error(err)
	}
}
