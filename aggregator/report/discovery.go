package report

import (
	"cmp"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// scrapeIndent is where a source's keys begin in the example config
// (sections: - id: … sources: - url: …), so a printed block pastes
// under a source as it is.
const scrapeIndent = "        "

// Feeds writes one aligned line per feed d found: type, URL, title. The
// title comes last because CJK characters are two columns wide on a
// terminal and tabwriter counts them as one.
func Feeds(w io.Writer, d model.Discovery) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, f := range d.Feeds {
		fmt.Fprintf(tw, "%s\t%s\t%s\n", f.Type, f.URL, f.Title)
	}
	return tw.Flush()
}

// Lists writes the lists of entries found on a page without feed, best
// first: each with its items selector, item count, three sample titles
// with their dates (read in loc at now, as a poll reads them), and its
// scrape: block; then whether a source with the URL alone reads the
// first one.
func Lists(w io.Writer, d model.Discovery, loc *time.Location, now time.Time) {
	fmt.Fprintf(w, "%s: %s\n", cmp.Or(d.FinalURL, d.URL), listsHeadline(d.Lists))
	for i, l := range d.Lists {
		fmt.Fprintf(w, "\n%d. %s  (%s, %d dated)\n", i+1, l.Scrape.Items, Plural(l.Items, "item", "items"), l.Dated)
		for _, s := range l.Samples {
			fmt.Fprintf(w, "   %-10s  %s\n", sampleDate(s.Date, loc, now), s.Title)
		}
		fmt.Fprint(w, scrapeBlock(l.Scrape, scrapeIndent))
	}
	if why := parse.AmbiguityReason(d.Lists); why != "" {
		fmt.Fprintf(w, "\nThe first lists are too alike for a poll to choose: a source with this URL alone fails (%s).\n"+
			"Paste the scrape: block of the list you want under the source.\n", why)
		return
	}
	fmt.Fprintf(w, "\nA source with this URL alone reads list 1 (no scrape: block needed); paste a block to pin it or to read another.\n")
}

// listsHeadline says what the page offers.
func listsHeadline(lists []model.ListCandidate) string {
	return "no feed advertised; " + Plural(len(lists), "list of entries", "lists of entries") + " found, best first"
}

// sampleDate is a sample's date as the day a poll reads in it, else the
// text as printed, else a dash.
func sampleDate(raw string, loc *time.Location, now time.Time) string {
	if raw == "" {
		return "-"
	}
	if t, ok := normalize.ParseDateAt(raw, loc, now); ok {
		return t.In(loc).Format(time.DateOnly)
	}
	return raw
}

// scrapeBlock is sc as a scrape: block of YAML, each line after indent,
// its keys in the config's order and every value quoted.
func scrapeBlock(sc model.Scrape, indent string) string {
	var b strings.Builder
	b.WriteString(indent + "scrape:\n")
	for _, f := range []struct{ key, value string }{
		{"items", sc.Items}, {"title", sc.Title}, {"link", sc.Link}, {"date", sc.Date},
		{"date_attr", sc.DateAttr}, {"summary", sc.Summary}, {"image", sc.Image}, {"skip", sc.Skip},
	} {
		if f.value != "" {
			fmt.Fprintf(&b, "%s  %s: %s\n", indent, f.key, strconv.Quote(f.value))
		}
	}
	return b.String()
}
