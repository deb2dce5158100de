package manifest

import (
	"strings"
	"testing"
)

// unclosedAttribute names the attribute whose value is still open where the
// decoder gave up, whatever precedes the name and wherever the offset falls.
func TestUnclosedAttribute(t *testing.T) {
	for _, tc := range []struct {
		data   string
		offset int // -1: len(data)
		name   string
		start  int
		ok     bool
	}{
		{`<a b="x<`, -1, "b", 3, true},                  // the offset may be the very end
		{`<b="x<`, -1, "b", 1, true},                    // right after the '<'
		{`b="x<`, -1, "b", 0, true},                     // a name at the start of the data
		{`<a x="1"b="2<`, -1, "b", 8, true},             // after a closing double quote
		{`<a x='1'b='2<`, -1, "b", 8, true},             // after a closing single quote
		{"<a\tb='2<", -1, "b", 3, true},                 // after a tab
		{`<a b="1" c="2<`, 7, "b", 3, true},             // the offset cuts the data
		{`="x<`, -1, "", 0, false},                      // no name before the quote
		{`<a ="x<`, -1, "", 0, false},                   // nor here
		{`<a b="x<`, 0, "", 0, false},                   // nothing before the offset
		{`<a b="x<`, len(`<a b="x<`) + 1, "", 0, false}, // past the end
		{`<a b="x<`, -2, "", 0, false},                  // before the start (-2: literally)
		{`<a b c<`, -1, "", 0, false},                   // no quoted value at all
	} {
		offset := tc.offset
		if offset == -1 {
			offset = len(tc.data)
		}
		name, start, ok := unclosedAttribute([]byte(tc.data), offset)
		if name != tc.name || start != tc.start || ok != tc.ok {
			t.Errorf("unclosedAttribute(%q, %d) = %q, %d, %v; want %q, %d, %v", tc.data, offset, name, start, ok, tc.name, tc.start, tc.ok)
		}
	}
}

// The file may end right at the '<' that shows the quote was left open.
func TestParseUnclosedQuoteAtTheEnd(t *testing.T) {
	_, err := Parse("bad.appxmanifest", []byte("<Package>\n  <Identity Name=\"x<"))
	if err == nil || !strings.HasPrefix(err.Error(), "bad.appxmanifest:2:13: malformed XML: the value of attribute Name is not closed") {
		t.Errorf("error = %v", err)
	}
}

// A file holding only a byte-order mark has no element; the position of
// that is 1:1, the BOM not counted as a column.
func TestParseOnlyABOM(t *testing.T) {
	_, err := Parse("x.appxmanifest", []byte(utf8BOM))
	if err == nil || err.Error() != "x.appxmanifest:1:1: no XML element found; a manifest's root element is <Package>" {
		t.Errorf("error = %v", err)
	}
}
