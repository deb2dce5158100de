package manifest

import (
	"bytes"
	"slices"
	"strings"

	"github.com/beevik/etree"
)

// Excerpt is an addition made on a copy of the file without the background
// task declarations it left alone in the <Extensions> it edited: the file
// before and after the edit, parsed, minus the same complete elements. In a
// manifest of thousands of declarations it is a few KiB, so checking that
// the edit leaves a file bgtask reads, and linting what it added
// (lint.NewEditErrors), cost nothing like reading the whole file again.
type Excerpt struct {
	Before, After       []byte
	BeforeDoc, AfterDoc *Document
	// result is the whole file after the edit; dropped are the elements
	// left out of After, in order: where each starts in After, and its
	// length.
	result  []byte
	dropped []droppedRange
}

type droppedRange struct{ at, length int }

// excerpt makes the edit sp, into list (nil when the edit creates the
// list), on a copy of the file without the declarations in list other
// than touched. It reports false when there is nothing to leave out, or
// when an element to leave out overlaps the edit.
func (d *Document) excerpt(sp splice, list, touched *etree.Element) (*Excerpt, bool) {
	if list == nil {
		return nil, false
	}
	// What is left out are runs of declarations, with the text and
	// comments between them: two span lookups a run, not two an element.
	var drop []span
	ns := childNamespaces{parent: list}
	var first, last *etree.Element
	endRun := func() bool {
		if first == nil {
			return true
		}
		s := span{Start: d.spans[first].Start, End: d.spans[last].End}
		first, last = nil, nil
		if s.Start < sp.End && sp.Start < s.End || s.Start < sp.Start && sp.Start < s.End {
			return false // the edit is inside: not expected, as the edit is not in a declaration left out
		}
		drop = append(drop, s)
		return true
	}
	for _, t := range list.Child {
		el, ok := t.(*etree.Element)
		if !ok {
			continue
		}
		if el == touched || !ns.isDeclaration(el) {
			if !endRun() {
				return nil, false
			}
			continue
		}
		if first == nil {
			first = el
		}
		last = el
	}
	if !endRun() || len(drop) == 0 {
		return nil, false
	}
	// Children are in document order, so drop is sorted and disjoint.
	n := len(d.Data) + len(sp.Text)
	for _, s := range drop {
		n -= s.End - s.Start
	}
	before := make([]byte, 0, n)
	var dropped []droppedRange
	shift := len(sp.Text) - (sp.End - sp.Start)
	at, edit := 0, sp // edit: sp in the excerpt's offsets
	for _, s := range drop {
		before = append(before, d.Data[at:s.Start]...)
		x := droppedRange{at: len(before), length: s.End - s.Start}
		if s.Start >= sp.End {
			x.at += shift // After holds the new text before it
		} else {
			edit.Start -= x.length
			edit.End -= x.length
		}
		dropped = append(dropped, x)
		at = s.End
	}
	before = append(before, d.Data[at:]...)
	return &Excerpt{Before: before, After: edit.apply(before), result: sp.apply(d.Data), dropped: dropped}, true
}

// childNamespaces tells the declarations among the children of one parent
// as isDeclaration does, looking the parent's default namespace up once
// rather than once a child (etree walks up to the root for each).
type childNamespaces struct {
	parent *etree.Element
	def    string
	known  bool
}

func (n *childNamespaces) isDeclaration(el *etree.Element) bool {
	if el.Tag != "Extension" || plainAttr(el, "Category") != BackgroundTasksCategory {
		return false
	}
	if el.Space != "" || hasDefaultNamespaceAttr(el) {
		return isDeclaration(el)
	}
	if !n.known {
		n.def, n.known = defaultNamespace(n.parent), true
	}
	return strings.HasPrefix(n.def, appxNSBase)
}

// defaultNamespace is el's default namespace, as etree's NamespaceURI finds
// it for an unprefixed element: the nearest xmlns="..." from el upward.
func defaultNamespace(el *etree.Element) string {
	for ; el != nil; el = el.Parent() {
		for _, a := range el.Attr {
			if a.Space == "" && a.Key == "xmlns" {
				return a.Value
			}
		}
	}
	return ""
}

func hasDefaultNamespaceAttr(el *etree.Element) bool {
	for _, a := range el.Attr {
		if a.Space == "" && a.Key == "xmlns" {
			return true
		}
	}
	return false
}

// ResultPos returns the position in the whole edited file of the byte at
// line and col (as Pos counts them) of After.
func (x *Excerpt) ResultPos(line, col int) Pos {
	off := offsetOf(x.AfterDoc.lines, line, col)
	// The elements left out before off, in After's order, are the bytes
	// to add back.
	n, _ := slices.BinarySearchFunc(x.dropped, off, func(r droppedRange, off int) int {
		if r.at <= off {
			return -1
		}
		return 1
	})
	for _, r := range x.dropped[:n] {
		off += r.length
	}
	return posIn(x.result, off)
}

// offsetOf is the offset of line and col in lines' file, the inverse of
// lineIndex.pos.
func offsetOf(lines lineIndex, line, col int) int {
	if line < 1 || line > len(lines.starts) {
		return 0
	}
	start := lines.starts[line-1]
	if line == 1 {
		start = lines.bom
	}
	return start + col - 1
}

// posIn is lineIndex.pos of offset in data, without indexing every line of
// a large file for one position.
func posIn(data []byte, offset int) Pos {
	offset = min(max(offset, 0), len(data))
	start := bytes.LastIndexByte(data[:offset], '\n') + 1
	line := 1 + bytes.Count(data[:offset], []byte{'\n'})
	if line == 1 && offset >= len(utf8BOM) && bytes.HasPrefix(data, []byte(utf8BOM)) {
		start = len(utf8BOM)
	}
	return Pos{Line: line, Col: offset - start + 1, Offset: offset}
}
