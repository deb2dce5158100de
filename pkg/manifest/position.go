package manifest

import (
	"bytes"
	"sort"
)

// utf8BOM is the byte-order mark Visual Studio writes at the start of a manifest.
const utf8BOM = "\xef\xbb\xbf"

// lineIndex turns byte offsets into 1-based line and column numbers.
type lineIndex struct {
	starts []int // offset of the first byte of each line
	bom    int   // length of a leading BOM, which no editor shows as a column
}

func newLineIndex(data []byte) lineIndex {
	li := lineIndex{starts: make([]int, 1, 1+bytes.Count(data, []byte{'\n'}))}
	if len(data) >= len(utf8BOM) && string(data[:len(utf8BOM)]) == utf8BOM {
		li.bom = len(utf8BOM)
	}
	for i := 0; ; {
		j := bytes.IndexByte(data[i:], '\n')
		if j < 0 {
			return li
		}
		i += j + 1
		li.starts = append(li.starts, i)
	}
}

// pos returns the position of offset. Columns count bytes, as Pos documents.
func (li lineIndex) pos(offset int) Pos {
	if offset < 0 {
		offset = 0
	}
	line := sort.Search(len(li.starts), func(i int) bool { return li.starts[i] > offset }) - 1
	if line < 0 {
		line = 0
	}
	start := li.starts[line]
	if line == 0 && offset >= li.bom {
		start = li.bom
	}
	return Pos{Line: line + 1, Col: offset - start + 1, Offset: offset}
}
