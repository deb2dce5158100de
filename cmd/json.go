package cmd

import (
	"encoding/json"
	"io"
)

// jsonVersion is the version of the format of every --json document bgtask
// writes; it is the document's first member, "version" (docs/json.md). It
// changes only with a breaking change: a field removed, renamed, or changing
// type or meaning.
const jsonVersion = 1

// writeJSON writes v indented, without HTML escaping, with a final newline.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
