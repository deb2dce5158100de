package manifest

// This file holds the API contract other packages compile against while the
// implementation is being written; it is replaced by the real implementation.

import (
	"errors"

	"github.com/beevik/etree"
)

// Document is a parsed manifest: its original bytes, an etree tree for
// queries, and the position of every element.
type Document struct {
	Path string
	Data []byte // the original bytes, never modified
	Tree *etree.Document
}

// Error is a positioned problem with a manifest's bytes: malformed XML, a
// conflict marker, a DTD, too large, too deep. Its Error() reads
// "path:line:col: message".
type Error struct {
	Path string
	Pos  Pos
	Msg  string
	Err  error
}

func (e *Error) Error() string { return e.Msg }
func (e *Error) Unwrap() error { return e.Err }

var errTODO = errors.New("manifest: not implemented yet")

// Load reads and parses the manifest at path.
func Load(path string) (*Document, error) { return nil, errTODO }

// Parse parses data; path is used in positions and errors.
func Parse(path string, data []byte) (*Document, error) { return nil, errTODO }

// Generation returns the manifest's schema generation.
func (d *Document) Generation() Generation { return GenUnknown }

// Declarations returns every windows.backgroundTasks Extension in document order.
func (d *Document) Declarations() []Declaration { return nil }

// PosOf returns the position of el's start tag.
func (d *Document) PosOf(el *etree.Element) Pos { return Pos{} }

// Applications returns the Application elements in document order.
func (d *Document) Applications() []*etree.Element { return nil }
