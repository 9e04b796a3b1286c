package report

import (
	"io"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/width"
)

// table writes rows as columns aligned by how wide a terminal draws
// them: a Chinese character takes two columns, a combining mark none.
// text/tabwriter counts runes, which puts every column after a Chinese
// name out of line. Cells must hold no tab or newline (see OneLine).
type table struct {
	rows [][]string
	// gap is the spaces between columns.
	gap int
}

// add appends a row.
func (t *table) add(cells ...string) { t.rows = append(t.rows, cells) }

// write pads every cell but a row's last to its column's widest, plus
// the gap.
func (t *table) write(w io.Writer) error {
	var widths []int
	for _, row := range t.rows {
		for i, cell := range row {
			if i == len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], DisplayWidth(cell))
		}
	}
	var b strings.Builder
	for _, row := range t.rows {
		for i, cell := range row {
			b.WriteString(cell)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-DisplayWidth(cell)+t.gap))
			}
		}
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// DisplayWidth is how many terminal columns s takes: East Asian wide and
// full-width characters two, combining marks and format characters none,
// the rest one (ambiguous ones too, as terminals outside CJK locales draw
// them).
func DisplayWidth(s string) int {
	n := 0
	for _, r := range s {
		n += runeWidth(r)
	}
	return n
}

func runeWidth(r rune) int {
	switch {
	case unicode.In(r, unicode.Mn, unicode.Me, unicode.Cf):
		return 0
	case r < 0x1100:
		return 1
	}
	switch width.LookupRune(r).Kind() {
	case width.EastAsianWide, width.EastAsianFullwidth:
		return 2
	}
	return 1
}

// OneLine keeps a table cell or a report line on its line: a feed's
// title or an error may hold tabs or newlines, which would break the
// columns.
func OneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Plural is "1 item" or "N items".
func Plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.Itoa(n) + " " + many
}
