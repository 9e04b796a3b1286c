package publish

import (
	"encoding/xml"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"
)

// svgRect is a <rect> of a sparkline as an XML parser reads it.
type svgRect struct {
	Class  string  `xml:"class,attr"`
	X      float64 `xml:"x,attr"`
	Y      float64 `xml:"y,attr"`
	Width  float64 `xml:"width,attr"`
	Height float64 `xml:"height,attr"`
	Title  string  `xml:"title"`
}

type svgDoc struct {
	XMLName xml.Name  `xml:"http://www.w3.org/2000/svg svg"`
	Role    string    `xml:"role,attr"`
	Title   string    `xml:"title"`
	Rects   []svgRect `xml:"rect"`
}

// parseSVG parses a sparkline strictly, as an XML document: it must be
// well formed.
func parseSVG(t *testing.T, s string) svgDoc {
	t.Helper()
	dec := xml.NewDecoder(strings.NewReader(s))
	dec.Strict = true
	var doc svgDoc
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("sparkline is not well-formed XML: %v\n%s", err, s)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("content after the sparkline's root: %v", err)
	}
	return doc
}

func TestSparkline(t *testing.T) {
	counts := make([]int, 30)
	counts[0], counts[3], counts[28], counts[29] = 1, 4, 2, 3
	days := make([]sparkDay, len(counts))
	for i, n := range counts {
		days[i] = sparkDay{Count: n, Label: "3月" + strconv.Itoa(i+1) + "日：" + strconv.Itoa(n) + " 条 <&>"}
	}
	doc := parseSVG(t, string(sparkline(days, `近 30 天 "共 10 条" <script>`)))
	if doc.Title != `近 30 天 "共 10 条" <script>` || doc.Role != "img" {
		t.Errorf("title %q, role %q", doc.Title, doc.Role)
	}
	var bars []svgRect
	for _, r := range doc.Rects {
		if r.Class == "day" {
			bars = append(bars, r)
		}
	}
	if len(bars) != 30 {
		t.Fatalf("%d day bars, want 30", len(bars))
	}
	for i, bar := range bars {
		// Heights are proportional to the counts, the busiest day full.
		want := float64(counts[i]) / 4 * sparkHeight
		if math.Abs(bar.Height-want) > 0.01 {
			t.Errorf("bar %d: height %v, want %v", i, bar.Height, want)
		}
		if math.Abs(bar.Y+bar.Height-sparkHeight) > 0.01 {
			t.Errorf("bar %d does not stand on the baseline: y %v, height %v", i, bar.Y, bar.Height)
		}
		if i > 0 && bar.X <= bars[i-1].X {
			t.Errorf("bar %d at x %v, not right of bar %d", i, bar.X, i-1)
		}
		if (bar.Title != "") != (counts[i] > 0) {
			t.Errorf("bar %d (count %d) titled %q", i, counts[i], bar.Title)
		}
	}
	if bars[3].Title != "3月4日：4 条 <&>" {
		t.Errorf("bar title %q", bars[3].Title)
	}
	// A quiet month: 30 bars of no height over the baseline.
	quiet := parseSVG(t, string(sparkline(make([]sparkDay, 30), "近 30 天没有新条目")))
	if len(quiet.Rects) != 31 || quiet.Rects[0].Class != "base" {
		t.Fatalf("quiet month: %d rects", len(quiet.Rects))
	}
	for _, r := range quiet.Rects[1:] {
		if r.Height != 0 {
			t.Errorf("a quiet day has height %v", r.Height)
		}
	}
}
