package publish

import (
	"fmt"
	"html/template"
	"strings"
)

// The sparkline's geometry in its own units (the SVG scales to its box):
// one bar per day, sparkBar wide with a gap of one, sparkHeight tall for
// the busiest day, over a one-unit baseline that shows quiet days.
const (
	sparkBar    = 4
	sparkStep   = sparkBar + 1
	sparkHeight = 24
)

// sparkDay is one bar of a sparkline: its count and the day it names.
type sparkDay struct {
	Count int
	Label string
}

// sparkline draws daily counts as inline SVG bars, oldest left: no script
// (the console runs none) and no request of its own. A bar's height is
// its count over the largest of the row, so it shows the source's rhythm;
// title names the whole for screen readers and as a tooltip, and each day
// with entries carries its own title. Every text is escaped.
func sparkline(days []sparkDay, title string) template.HTML {
	width := max(len(days)*sparkStep-1, 1)
	peak := 0
	for _, d := range days {
		peak = max(peak, d.Count)
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="spark" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 %d %d" preserveAspectRatio="none" role="img">`,
		width, sparkHeight+1)
	fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(title))
	fmt.Fprintf(&b, `<rect class="base" x="0" y="%d" width="%d" height="1"/>`, sparkHeight, width)
	for i, d := range days {
		h := 0.0
		if peak > 0 {
			h = float64(d.Count) * sparkHeight / float64(peak)
		}
		fmt.Fprintf(&b, `<rect class="day" x="%d" y="%s" width="%d" height="%s">`, i*sparkStep, num(sparkHeight-h), sparkBar, num(h))
		if d.Count > 0 && d.Label != "" {
			fmt.Fprintf(&b, `<title>%s</title>`, template.HTMLEscapeString(d.Label))
		}
		b.WriteString(`</rect>`)
	}
	b.WriteString(`</svg>`)
	// Built above from numbers and escaped text only.
	return template.HTML(b.String())
}

// num writes a coordinate with at most two decimals and no trailing zeros.
func num(f float64) string {
	s := strings.TrimRight(fmt.Sprintf("%.2f", f), "0")
	return strings.TrimSuffix(s, ".")
}
