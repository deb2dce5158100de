package manifest

import (
	"errors"
	"fmt"
)

// Error is a positioned problem with a manifest's bytes: malformed XML, a
// conflict marker, a DTD, too large, too deep, not a manifest at all. Its
// Error() reads "path:line:col: message" so editors and CI annotations can
// jump to it; a problem with no position (a missing file) reads "path: message".
type Error struct {
	Path string
	Pos  Pos
	Msg  string
	Err  error
}

func (e *Error) Error() string {
	if e.Pos.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Pos.Line, e.Pos.Col, e.Msg)
}

func (e *Error) Unwrap() error { return e.Err }

// Sentinel causes, so callers can tell kinds of bad input apart with errors.Is.
var (
	ErrMalformed         = errors.New("malformed XML")
	ErrConflictMarker    = errors.New("unresolved merge conflict")
	ErrDTD               = errors.New("DTD not allowed")
	ErrTooLarge          = errors.New("file too large")
	ErrTooDeep           = errors.New("elements nested too deeply")
	ErrTooManyAttributes = errors.New("too many attributes on one element")
	ErrNotManifest       = errors.New("not an app manifest")
)
