package lint

import (
	"path/filepath"
	"testing"

	"github.com/beevik/etree"
)

// findAttr reads a start tag from its '<' and finds an attribute by name,
// whatever spacing and quoting surround it; anything that is not a start
// tag where it is asked for finds nothing.
func TestAttrOffset(t *testing.T) {
	data := []byte(`x <Task  a='1'` + "\n\t" + `Type = "timer" type="t"/> <Other b="2">`)
	for _, tc := range []struct {
		start int
		key   string
		off   int
		ok    bool
	}{
		{2, "Type", 16, true},
		{2, "a", 9, true},
		{2, "type", 31, true},
		{2, "b", 0, false}, // stops at the end of its own tag
		{42, "b", 49, true},
		{0, "Type", 0, false},  // not at a '<'
		{-1, "Type", 0, false}, // before the data
		{len(data), "b", 0, false},
		{len(data) + 5, "b", 0, false},
	} {
		off, ok := attrOffset(data, tc.start, tc.key)
		if off != tc.off || ok != tc.ok {
			t.Errorf("attrOffset(%d, %q) = %d, %v; want %d, %v", tc.start, tc.key, off, ok, tc.off, tc.ok)
		}
	}
	if off, ok := attrOffset([]byte(`<a b="1">`), 0, "b"); !ok || off != 3 {
		t.Errorf("a tag at offset 0: %d, %v", off, ok)
	}
	if off, ok := attrOffset([]byte(`<a b="1`), 0, "b"); !ok || off != 3 {
		t.Errorf("a value left open at the end of the data: %d, %v", off, ok)
	}
	if name, ok := attrNameFold(data, 2, "TYPE"); !ok || name != "Type" {
		t.Errorf("attrNameFold = %q, %v; want the first spelling, Type", name, ok)
	}
	for _, broken := range []string{`<a b`, `<a b=`, `<a b= `, `<a b=x>`, `<a`, `<a `} {
		if _, ok := attrOffset([]byte(broken), 0, "b"); ok {
			t.Errorf("attrOffset(%q) found b", broken)
		}
	}
}

// A file that did not parse has no positions, and asking is harmless.
func TestPosOfWithoutDocument(t *testing.T) {
	f := &File{Path: "P.appxmanifest", Data: []byte("<Package")}
	if p := f.PosOf(etree.NewElement("Package")); p.Line != 0 {
		t.Errorf("PosOf = %+v", p)
	}
	if p := f.PosOf(nil); p.Line != 0 {
		t.Errorf("PosOf(nil) = %+v", p)
	}
}

// The parent of the working folder is outside it: shown absolute.
func TestDisplayPathOfTheParent(t *testing.T) {
	cwd := t.TempDir()
	parent := filepath.Dir(cwd)
	if got := DisplayPath(cwd, parent); got != filepath.ToSlash(parent) {
		t.Errorf("DisplayPath(parent) = %q, want %q", got, filepath.ToSlash(parent))
	}
}
