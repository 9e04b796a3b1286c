package preview

import (
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// Bounds of the list warnings. A list page read right still shows some
// of these shapes now and then (a notice pinned and listed again, an old
// item kept at the top), so a warning needs more than one odd item.
const (
	// minYear is the earliest year a list page's entry plausibly has:
	// school and county CMSs went on line after it, and a 1970 or 1900 is
	// an empty date field the template printed anyway.
	minYear = 2000
	// oddYearSpan is how many years before the median of a list's years
	// an entry's year must be to look wrong: a list page holds months of
	// notices, rarely years.
	oddYearSpan = 5
	// futureSlack is how far after the fetch a date may be (a zone off by
	// hours) before it is in the future, as the normalizer judges it.
	futureSlack = 24 * time.Hour
)

// Warnings are what an editor should check about a list page's reading
// before trusting it (see model.ListWarning): a title or date selector
// matching fewer items than gave entries, several items collapsing onto
// one link, a list of one item, no dates at all, years that look wrong.
// page is what parse.Scrape read (its Rules say which selectors were
// set), entries and dates what the normalizer made of it (dates[i] is
// entries[i]'s note), in loc at now. A poll keeps them in the source's
// state and a preview shows them; both call this, so an editor sees the
// same words in the console, the CLI and on /status. Never nil.
func Warnings(page *parse.ListPage, entries []model.Entry, dates []normalize.DateNote, loc *time.Location, now time.Time) []model.ListWarning {
	out := []model.ListWarning{}
	if page == nil {
		return out
	}
	read := page.Total - len(page.Skipped)
	if w, ok := selectorWarning(model.ListWarnTitleNoMatch, page.Rules.Title, page.Fields.Title, page.Total, read); ok {
		out = append(out, w)
	}
	dateSel := page.Rules.Date
	if dateSel == "" && page.Rules.DateAttr != "" {
		dateSel = "@" + page.Rules.DateAttr
	}
	dateWarn, noDateMatch := selectorWarning(model.ListWarnDateNoMatch, dateSel, page.Fields.Date, page.Total, read)
	if noDateMatch {
		out = append(out, dateWarn)
	}
	if page.Feed != nil {
		if w, ok := sameLink(page.Feed.Items); ok {
			out = append(out, w)
		}
	}
	if page.Total == 1 {
		out = append(out, model.ListWarning{Code: model.ListWarnOneItem, Count: 1, Total: 1})
	}
	// A date selector matching nothing already says why no entry is
	// dated.
	if w, ok := noDates(entries, dates); ok && !(noDateMatch && dateWarn.Count == 0) {
		out = append(out, w)
	}
	if w, ok := oddYears(entries, dates, loc, now); ok {
		out = append(out, w)
	}
	return out
}

// selectorWarning is code's warning when sel, a selector the rules set,
// was found in fewer of the total items than the read ones that gave an
// entry: the others fell back to detection (titles) or have no date.
func selectorWarning(code, sel string, found, total, read int) (model.ListWarning, bool) {
	if sel == "" || read <= 0 || found >= read {
		return model.ListWarning{}, false
	}
	return model.ListWarning{Code: code, Count: found, Total: total, Detail: sel}, true
}

// sameLink warns when items collapse onto shared links: more than one
// item in five, and at least two, would be lost (the store keeps one
// entry per link). A notice pinned at the top and listed again below is
// a single lost item and no reason to look; a list whose every item
// links its category ("[学校]") loses most of them.
func sameLink(items []*gofeed.Item) (model.ListWarning, bool) {
	counts := make(map[string]int, len(items))
	for _, it := range items {
		counts[it.Link]++
	}
	lost := len(items) - len(counts)
	if lost < 2 || lost*5 <= len(items) {
		return model.ListWarning{}, false
	}
	shared, top, topN := 0, "", 0
	for link, n := range counts {
		if n < 2 {
			continue
		}
		shared += n
		if n > topN || (n == topN && link < top) {
			top, topN = link, n
		}
	}
	return model.ListWarning{Code: model.ListWarnSameLink, Count: shared, Total: len(items), Detail: top}, true
}

// noDates warns when no entry has a date of its own, for want of one
// (missing or unreadable): every entry is then dated when first seen,
// and the list's order is lost. Dates too far ahead are oddYears'.
func noDates(entries []model.Entry, dates []normalize.DateNote) (model.ListWarning, bool) {
	if len(entries) == 0 {
		return model.ListWarning{}, false
	}
	for i, e := range entries {
		if !e.NoDate || (i < len(dates) && dates[i].Problem == normalize.DateClamped) {
			return model.ListWarning{}, false
		}
	}
	return model.ListWarning{Code: model.ListWarnNoDates, Count: len(entries), Total: len(entries)}, true
}

// oddYears warns about entries whose year looks wrong: dated beyond
// futureSlack after now (the normalizer dated them when seen instead),
// before minYear, or more than oddYearSpan years before the median year
// of the list: a template printing the year of another field, or a
// date read in the wrong order.
func oddYears(entries []model.Entry, dates []normalize.DateNote, loc *time.Location, now time.Time) (model.ListWarning, bool) {
	if loc == nil {
		loc = time.UTC
	}
	type dated struct {
		year   int
		future bool
	}
	var all []dated
	for i, e := range entries {
		switch {
		case i < len(dates) && dates[i].Problem == normalize.DateClamped:
			d := dated{future: true}
			if t, ok := normalize.ParseDateAt(dates[i].Raw, loc, now); ok {
				d.year = t.In(loc).Year()
			}
			all = append(all, d)
		case !e.NoDate && !e.Published.IsZero():
			t := e.Published.In(loc)
			all = append(all, dated{year: t.Year(), future: t.After(now.Add(futureSlack))})
		}
	}
	if len(all) == 0 {
		return model.ListWarning{}, false
	}
	years := make([]int, 0, len(all))
	for _, d := range all {
		if d.year > 0 {
			years = append(years, d.year)
		}
	}
	slices.Sort(years)
	median := 0
	if len(years) > 0 {
		median = years[len(years)/2]
	}
	var odd []int
	count := 0
	for _, d := range all {
		if d.future || d.year < minYear || d.year < median-oddYearSpan {
			count++
			if d.year > 0 && !slices.Contains(odd, d.year) {
				odd = append(odd, d.year)
			}
		}
	}
	if count == 0 {
		return model.ListWarning{}, false
	}
	slices.Sort(odd)
	parts := make([]string, len(odd))
	for i, y := range odd {
		parts[i] = strconv.Itoa(y)
	}
	return model.ListWarning{Code: model.ListWarnOddYears, Count: count, Total: len(all), Detail: strings.Join(parts, ", ")}, true
}
