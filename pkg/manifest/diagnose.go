package manifest

import "bytes"

// What encoding/xml reports for two common mistakes is misleading, so the
// parser looks closer before it reports them.

// wideEncoding names the UTF-16 or UTF-32 flavour of data from its
// byte-order mark, or from "<" written in it without one; "" for anything
// else. UTF-32 goes first: its little-endian mark starts with UTF-16's.
func wideEncoding(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE, 0, 0}), bytes.HasPrefix(data, []byte{'<', 0, 0, 0}):
		return "UTF-32 (little-endian)"
	case bytes.HasPrefix(data, []byte{0, 0, 0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0, 0, 0, '<'}):
		return "UTF-32 (big-endian)"
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{'<', 0, '?', 0}):
		return "UTF-16 (little-endian)"
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}), bytes.HasPrefix(data, []byte{0, '<', 0, '?'}):
		return "UTF-16 (big-endian)"
	}
	return ""
}

// unclosedAttribute finds the attribute whose quoted value is still open at
// offset: the last name="..." (or name='...') before it. It returns the
// attribute's name and offset.
func unclosedAttribute(data []byte, offset int) (string, int, bool) {
	if offset <= 0 || offset > len(data) {
		return "", 0, false
	}
	head := data[:offset]
	eq := max(bytes.LastIndex(head, []byte(`="`)), bytes.LastIndex(head, []byte(`='`)))
	if eq <= 0 {
		return "", 0, false
	}
	start := eq
	for start > 0 && !isXMLSpace(data[start-1]) && data[start-1] != '<' && data[start-1] != '"' && data[start-1] != '\'' {
		start--
	}
	if start == eq {
		return "", 0, false
	}
	return string(data[start:eq]), start, true
}

func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\r' || c == '\n' }
