package manifest

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path/filepath"

	"github.com/beevik/etree"
)

// Document is a parsed manifest: its original bytes, an etree tree for
// queries, and the position of every element.
type Document struct {
	Path string
	Data []byte // the original bytes, never modified
	Tree *etree.Document

	lines lineIndex
	spans map[*etree.Element]span
}

// Load reads and parses the manifest at path. Every failure is an *Error
// naming the file: a missing or unreadable file (wrapping the fs error), or
// bad content as Parse reports it.
func Load(path string) (*Document, error) {
	f, err := openNoWait(path)
	if err != nil {
		return nil, loadError(path, err)
	}
	defer f.Close()
	if info, err := f.Stat(); err == nil && info.IsDir() {
		return nil, &Error{Path: path, Err: ErrNotManifest,
			Msg: "is a folder, not a manifest; pass the manifest file itself with --manifest (for example " + filepath.Join(path, "Package.appxmanifest") + ")"}
	} else if err == nil && !info.Mode().IsRegular() {
		// A FIFO (or a device) would be read until a writer comes, or for ever.
		return nil, &Error{Path: path, Err: ErrNotManifest,
			Msg: "is not a regular file (a named pipe, socket or device); pass the manifest file itself with --manifest"}
	}
	// Read one byte past the limit so a too-large file is caught without
	// trusting Stat (a pipe or a growing file has no honest size). Stat's
	// size, when it has one, sizes the buffer: grown from nothing, reading
	// a large manifest copied it a dozen times.
	var buf bytes.Buffer
	if info, err := f.Stat(); err == nil && info.Mode().IsRegular() && info.Size() < MaxFileSize {
		buf.Grow(int(info.Size()) + bytes.MinRead)
	}
	if _, err := buf.ReadFrom(io.LimitReader(f, MaxFileSize+1)); err != nil {
		return nil, loadError(path, err)
	}
	return Parse(path, buf.Bytes())
}

func loadError(path string, err error) error {
	msg := fmt.Sprintf("cannot read the manifest: %v", unwrapPathError(err))
	if errors.Is(err, fs.ErrNotExist) {
		msg = "no such file; check the path given with --manifest, or run bgtask in the app folder (where Package.appxmanifest is) or below it"
	}
	return &Error{Path: path, Msg: msg, Err: err}
}

// unwrapPathError drops the "open PATH:" prefix the *Error already carries.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// Parse parses data; path is used in positions and errors. Bad input gives an
// *Error positioned at the first problem.
func Parse(path string, data []byte) (*Document, error) {
	if len(data) > MaxFileSize {
		return nil, &Error{Path: path, Err: ErrTooLarge,
			Msg: fmt.Sprintf("file is larger than %d MiB; a manifest is a few KiB, so this is not one", MaxFileSize>>20)}
	}
	// A UTF-16 or UTF-32 file is well-formed XML that bgtask does not read;
	// the decoder's "invalid UTF-8" at the second byte would call it malformed.
	if enc := wideEncoding(data); enc != "" {
		return nil, &Error{Path: path, Pos: Pos{Line: 1, Col: 1}, Err: ErrMalformed,
			Msg: fmt.Sprintf("the file is %s; bgtask reads UTF-8 manifests (what Visual Studio writes): save it as UTF-8 (Visual Studio: File > Save As > Save with Encoding)", enc)}
	}
	lines := newLineIndex(data)
	tree, spans, err := read(path, data, lines)
	if err != nil {
		return nil, err
	}
	doc := &Document{Path: path, Data: data, Tree: tree, lines: lines, spans: spans}
	if err := doc.checkRoot(); err != nil {
		return nil, err
	}
	return doc, nil
}

func (d *Document) checkRoot() error {
	root := d.Tree.Root()
	if root.Tag != "Package" {
		return &Error{Path: d.Path, Pos: d.PosOf(root), Err: ErrNotManifest,
			Msg: fmt.Sprintf("the root element is <%s>, not <Package>: this is not an app manifest; point --manifest at Package.appxmanifest", root.FullTag())}
	}
	return nil
}

// PosOf returns the position of el's start tag (its '<'), or the zero Pos
// for an element that is not part of this document's original bytes.
func (d *Document) PosOf(el *etree.Element) Pos {
	s, ok := d.spans[el]
	if !ok {
		return Pos{}
	}
	return d.lines.pos(s.Start)
}

// PosAt returns the position of a byte offset in Data.
func (d *Document) PosAt(offset int) Pos { return d.lines.pos(offset) }
