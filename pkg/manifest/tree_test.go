package manifest

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/beevik/etree"

	"github.com/bgtask/bgtask/internal/corpus"
)

// Parse builds its etree tree itself, from the tokens it also takes positions
// from. These tests hold it to what etree's own reader builds from the same
// bytes, token for token, so queries and NamespaceURI answer as before.

func TestTreeMatchesEtreeReaderOnFiles(t *testing.T) {
	var paths []string
	for _, dir := range []string{fixtures, "../../testdata/seed"} {
		entries, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range entries {
			paths = append(paths, filepath.Join(dir, e.Name()))
		}
	}
	checked := 0
	for _, path := range paths {
		if checkTreeOfFile(t, path) {
			checked++
		}
	}
	if checked < 10 {
		t.Fatalf("only %d files parsed and checked", checked)
	}
	// The corpus in a subtest, so that its absence skips only this part.
	t.Run("corpus", func(t *testing.T) {
		for _, f := range corpus.Manifests(t) {
			if !f.Malformed {
				checkTreeOfFile(t, f.Path)
			}
		}
	})
}

// checkTreeOfFile compares Parse's tree of the file at path with etree's;
// false when Parse refuses the file (fixtures include bad files; their
// errors are tested elsewhere).
func checkTreeOfFile(t *testing.T, path string) bool {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := Parse(path, data)
	if err != nil {
		return false
	}
	if err := sameAsEtreeReader(doc.Tree, data); err != nil {
		t.Errorf("%s: %v", path, err)
	}
	return true
}

func TestTreeMatchesEtreeReaderOnOddNames(t *testing.T) {
	for _, src := range []string{
		// Names encoding/xml leaves unsplit, which etree's Create functions would split.
		`<Package xmlns="` + NSFoundation + `" a="1" :a="2" b:="3"><:q/><q:/></Package>`,
		// Many attributes, prefixed and not: each keeps its element (for NamespaceURI).
		`<Package xmlns="` + NSFoundation + `" xmlns:p="urn:p"><A ` + manyAttrSource(40) + `/></Package>`,
		// A conflict marker only where it starts a line.
		"<Package><!-- a <<<<<<< b -->\n<!--<<<<<<<--></Package>",
		// Text, CDATA, comments and processing instructions, inside and around the root.
		utf8BOM + "<?xml version=\"1.0\"?>\r\n<!-- c --><?pi x?>\n<Package xmlns:f=\"u\">  <f:A f:b=\"&amp;&#169;\">t<![CDATA[ ]]>\t</f:A><?p q?><!--x--></Package>\n<!-- after -->\n",
	} {
		doc, err := Parse("odd.xml", []byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		if err := sameAsEtreeReader(doc.Tree, []byte(src)); err != nil {
			t.Errorf("%q: %v", src, err)
		}
	}
}

// sameAsEtreeReader reports the first difference between got and the tree
// etree's reader builds from data.
func sameAsEtreeReader(got *etree.Document, data []byte) error {
	want := etree.NewDocument()
	want.ReadSettings.MaxDepth = MaxDepth + 1
	if err := want.ReadFromBytes(data); err != nil {
		return fmt.Errorf("etree refuses what Parse accepted: %v", err)
	}
	return sameElement("document", &got.Element, &want.Element)
}

func sameElement(where string, got, want *etree.Element) error {
	if got.Space != want.Space || got.Tag != want.Tag {
		return fmt.Errorf("%s: element %q:%q, etree has %q:%q", where, got.Space, got.Tag, want.Space, want.Tag)
	}
	where += "/" + got.FullTag()
	if got.NamespaceURI() != want.NamespaceURI() {
		return fmt.Errorf("%s: namespace %q, etree has %q", where, got.NamespaceURI(), want.NamespaceURI())
	}
	if len(got.Attr) != len(want.Attr) {
		return fmt.Errorf("%s: %d attributes, etree has %d", where, len(got.Attr), len(want.Attr))
	}
	for i, a := range got.Attr {
		w := want.Attr[i]
		if a.Space != w.Space || a.Key != w.Key || a.Value != w.Value || a.NamespaceURI() != w.NamespaceURI() {
			return fmt.Errorf("%s: attribute %d is %+v (namespace %q), etree has %+v (namespace %q)", where, i, a, a.NamespaceURI(), w, w.NamespaceURI())
		}
		if a.Element() != got {
			return fmt.Errorf("%s: attribute %s does not point back at its element", where, a.FullKey())
		}
	}
	if len(got.Child) != len(want.Child) {
		return fmt.Errorf("%s: %d child tokens, etree has %d", where, len(got.Child), len(want.Child))
	}
	for i, c := range got.Child {
		if c.Parent() != got || c.Index() != i {
			return fmt.Errorf("%s: child %d has parent %p index %d, want %p %d", where, i, c.Parent(), c.Index(), got, i)
		}
		if err := sameToken(fmt.Sprintf("%s[%d]", where, i), c, want.Child[i]); err != nil {
			return err
		}
	}
	return nil
}

func sameToken(where string, got, want etree.Token) error {
	switch g := got.(type) {
	case *etree.Element:
		if w, ok := want.(*etree.Element); ok {
			return sameElement(where, g, w)
		}
	case *etree.CharData:
		if w, ok := want.(*etree.CharData); ok && g.Data == w.Data && g.IsWhitespace() == w.IsWhitespace() && g.IsCData() == w.IsCData() {
			return nil
		}
	case *etree.Comment:
		if w, ok := want.(*etree.Comment); ok && g.Data == w.Data {
			return nil
		}
	case *etree.ProcInst:
		if w, ok := want.(*etree.ProcInst); ok && g.Target == w.Target && g.Inst == w.Inst {
			return nil
		}
	case *etree.Directive:
		if w, ok := want.(*etree.Directive); ok && g.Data == w.Data {
			return nil
		}
	}
	return fmt.Errorf("%s: token %#v, etree has %#v", where, got, want)
}

// manyAttrSource is n attributes, alternately prefixed and not.
func manyAttrSource(n int) string {
	var b strings.Builder
	for i := range n {
		if i%2 == 0 {
			fmt.Fprintf(&b, ` p:a%d="%d"`, i, i)
		} else {
			fmt.Fprintf(&b, ` a%d="%d"`, i, i)
		}
	}
	return b.String()
}

// The tree's child lists are cut from one slice per document; appending to
// one element's children (as an edit of the tree would) must not write over
// the next element's. Here A's children sit just before C's in that slice.
func TestTreeChildListsAreSeparate(t *testing.T) {
	doc, err := Parse("sep.xml", []byte(`<Package><A><B/></A><C><D/></C></Package>`))
	if err != nil {
		t.Fatal(err)
	}
	root := doc.Tree.Root()
	a, c := root.SelectElement("A"), root.SelectElement("C")
	a.CreateElement("X")
	a.CreateElement("Y")
	var got []string
	for _, el := range []*etree.Element{a, c} {
		for _, ch := range el.ChildElements() {
			got = append(got, el.Tag+">"+ch.Tag)
		}
	}
	if want := "A>B A>X A>Y C>D"; strings.Join(got, " ") != want {
		t.Errorf("children after appending to A: %q, want %q", strings.Join(got, " "), want)
	}
}

// Parse reuses its working memory from one file to the next; a tree it
// returned stays as it was while other files are parsed.
func TestTreeSurvivesLaterParses(t *testing.T) {
	first := []byte(`<Package xmlns="` + NSFoundation + `" xmlns:u="urn:u"><A u:x="1" y="2">text<!--c--></A><B/></Package>`)
	doc, err := Parse("first.xml", first)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		src := fmt.Sprintf(`<Package q="%d"><Z r="%d">%d</Z><W/><V/><U/></Package>`, i, i, i)
		if _, err := Parse("other.xml", []byte(src)); err != nil {
			t.Fatal(err)
		}
	}
	if err := sameAsEtreeReader(doc.Tree, first); err != nil {
		t.Errorf("after parsing other files: %v", err)
	}
	if p := doc.PosOf(doc.Tree.Root().SelectElement("B")); p.Offset != strings.Index(string(first), "<B/>") {
		t.Errorf("PosOf(B) = %+v", p)
	}
}
