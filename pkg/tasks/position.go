package tasks

import "bytes"

// lineCol turns a byte offset into a 1-based line and column (in bytes).
// encoding/json reports an offset just after the byte it failed on, so the
// position printed is that byte's, the one an editor should jump to.
//
// An offset past the end (a truncated file: the token that failed is the
// end itself) gives the position just past the last byte, where the text
// stops. An offset of exactly the length is the last byte's own.
func lineCol(data []byte, offset int64) (line, col int) {
	pos := int(offset) - 1
	if offset > int64(len(data)) {
		pos = len(data)
	}
	pos = max(pos, 0)
	before := data[:pos]
	line = 1 + bytes.Count(before, []byte("\n"))
	col = pos - bytes.LastIndexByte(before, '\n')
	return line, col
}

// keyOffset finds where the object key name is written in data, so an
// unknown field (which encoding/json reports without a position) can still be
// pointed at. It returns an offset in lineCol's convention, or -1.
func keyOffset(data []byte, name string) int64 {
	quoted := []byte(`"` + name + `"`)
	for start := 0; ; {
		i := bytes.Index(data[start:], quoted)
		if i < 0 {
			return -1
		}
		at := start + i
		rest := bytes.TrimLeft(data[at+len(quoted):], " \t\r\n")
		if len(rest) > 0 && rest[0] == ':' {
			return int64(at + 1)
		}
		start = at + len(quoted)
	}
}
