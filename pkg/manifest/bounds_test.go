package manifest

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/bgtask/bgtask/internal/corpus"
)

// checkRecordBounds records data as read does and reports where the record
// outgrew recordBounds (read sizes a large file's record to them); nil when
// data does not parse, as read then builds nothing.
func checkRecordBounds(data []byte) error {
	r := new(record)
	var charset string
	err := r.check("bounds", data, newLineIndex(data), &fastTokens{src: string(data)}, &charset)
	if errors.Is(err, errFallback) {
		err = r.check("bounds", data, newLineIndex(data), xmlTokens{strictDecoder(string(data), &charset)}, &charset)
	}
	if err != nil {
		return nil
	}
	nodes, elems, attrs := recordBounds(data)
	if len(r.nodes) > nodes || len(r.elems) > elems || len(r.attrs) > attrs {
		return fmt.Errorf("recorded %d nodes, %d elements, %d attributes; bounds %d, %d, %d",
			len(r.nodes), len(r.elems), len(r.attrs), nodes, elems, attrs)
	}
	return nil
}

// The record of every manifest in the repository's fixtures and seeds stays
// within recordBounds, and so does that of files made of what the bounds
// count apart: comments, processing instructions, CDATA sections next to
// text, entities, self-closing and empty elements, '=' in attribute values.
func TestRecordBoundsHold(t *testing.T) {
	files := seedManifests(t)
	files["mixed"] = []byte(`<?xml version="1.0"?><!-- c --><?pi x?><Package a="1=2" b='='><A/><B></B>t<![CDATA[c]]>u&amp;v<!--x--><?p?><C x="1" y="2" z="3"/>` +
		strings.Repeat(`<D><E f="g"/>text<![CDATA[]]></D>`, 50) + `</Package><!-- after -->`)
	files["deep"] = []byte(strings.Repeat("<a b='c'>", 100) + strings.Repeat("</a>", 100))
	for name, data := range files {
		if err := checkRecordBounds(data); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}

	// The bounds are also tight where read uses them, a large manifest of
	// declarations: elements and attributes exactly (no comment, no '=' but
	// the attributes'), nodes within what the white space between tags adds.
	var big strings.Builder
	big.WriteString(`<Package xmlns="http://schemas.microsoft.com/appx/manifest/foundation/windows10"><Applications><Application Id="App"><Extensions>`)
	for i := range 2000 {
		fmt.Fprintf(&big, "\n  <Extension Category=\"windows.backgroundTasks\" EntryPoint=\"Tasks.T%d\">\n    <BackgroundTasks>\n      <Task Type=\"pushNotification\"/>\n    </BackgroundTasks>\n  </Extension>", i)
	}
	big.WriteString("\n</Extensions></Application></Applications></Package>")
	data := []byte(big.String())
	r := new(record)
	var charset string
	if err := r.check("big", data, newLineIndex(data), &fastTokens{src: big.String()}, &charset); err != nil {
		t.Fatal(err)
	}
	nodes, elems, attrs := recordBounds(data)
	if elems != len(r.elems) || attrs != len(r.attrs) || nodes < len(r.nodes) || nodes > len(r.nodes)*3/2 {
		t.Errorf("bounds %d nodes, %d elements, %d attributes for a record of %d, %d, %d: want elements and attributes exact, nodes at most half again",
			nodes, elems, attrs, len(r.nodes), len(r.elems), len(r.attrs))
	}
}

// The same over the real-world corpus, when it is beside the checkout.
func TestRecordBoundsHoldOnCorpus(t *testing.T) {
	for _, m := range corpus.Manifests(t) {
		data, err := os.ReadFile(m.Path)
		if err != nil {
			t.Fatal(err)
		}
		if err := checkRecordBounds(data); err != nil {
			t.Errorf("%s: %v", m.Name, err)
		}
	}
}

// FuzzRecordBounds: whatever parses, its record stays within recordBounds.
func FuzzRecordBounds(f *testing.F) {
	for _, data := range seedManifests(f) {
		f.Add(data)
	}
	f.Add([]byte(`<a><![CDATA[x]]>y<![CDATA[z]]></a>`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if err := checkRecordBounds(data); err != nil {
			t.Fatal(err)
		}
	})
}
