package cmd

import (
	"io"
	"strings"

	"github.com/mattn/go-runewidth"
)

// table lays out rows in columns padded to the widest cell. Widths are taken
// from the plain text and colour is applied after padding, so escape codes
// never shift a column (text/tabwriter counts them as width). A width is
// the cells a terminal gives the text (go-runewidth): a CJK character takes
// two, a combining accent none.
type table struct {
	header []string
	rows   [][]string
}

// write prints the table; paintHeader and paintCell colour a padded cell
// (column index given) and may be identity functions.
func (t *table) write(w io.Writer, paintHeader func(string) string, paintCell func(col int, s string) string) error {
	widths := make([]int, len(t.header))
	for _, row := range append([][]string{t.header}, t.rows...) {
		for i, cell := range row {
			widths[i] = max(widths[i], runewidth.StringWidth(cell))
		}
	}
	var b strings.Builder
	line := func(row []string, paint func(int, string) string) {
		for i, cell := range row {
			b.WriteString(paint(i, cell))
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-runewidth.StringWidth(cell)+2))
			}
		}
		b.WriteByte('\n')
	}
	line(t.header, func(_ int, s string) string { return paintHeader(s) })
	for _, row := range t.rows {
		line(row, paintCell)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// orDash shows an empty cell as "-".
func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
