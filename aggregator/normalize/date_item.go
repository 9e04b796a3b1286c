package normalize

import (
	"strings"
	"time"

	"github.com/mmcdole/gofeed"
)

// DateProblem says why an item's own date was not used as given. Entries
// dates such an item itself and says so in a DateNote, so that the poll
// can count and report it: a feed whose dates no longer parse otherwise
// only shows as headlines stuck at the time they were first seen.
type DateProblem uint8

const (
	// DateOK is an item whose date was used.
	DateOK DateProblem = iota
	// DateMissing is an item without any date; it is published when first
	// seen (model.Entry.NoDate).
	DateMissing
	// DateUnparsed is an item whose date text could not be read; it is
	// published when first seen, like an undated one.
	DateUnparsed
	// DateClamped is an item dated more than 24 hours after the fetch.
	// One published that far ahead is published when first seen, like an
	// undated one, rather than pinned to the top of every merged feed;
	// one only updated that far ahead keeps its published date as updated.
	DateClamped
)

// String names the problem as logs and tests show it.
func (p DateProblem) String() string {
	switch p {
	case DateOK:
		return "ok"
	case DateMissing:
		return "missing"
	case DateUnparsed:
		return "unparsed"
	case DateClamped:
		return "future"
	}
	return "unknown"
}

// DateNote is what Entries made of one entry's date.
type DateNote struct {
	Problem DateProblem
	// Raw is the date text the source gave, for DateUnparsed and
	// DateClamped: plain text on one line, cut to dateRawLen runes.
	Raw string
}

// dateRawLen bounds DateNote.Raw in runes: enough to recognize the format,
// little enough to store and show per source.
const dateRawLen = 100

// itemDates returns published and updated in UTC, each standing in for the
// other when missing, and what was wrong with them. An item without a
// usable published date (none, unreadable, or beyond maxFuture) has both
// at now and noDate set, so the store keeps the time it was first seen.
func itemDates(item *gofeed.Item, loc *time.Location, now time.Time) (published, updated time.Time, noDate bool, note DateNote) {
	p, pok := itemDate(item.Published, item.PublishedParsed, loc, now)
	u, uok := itemDate(item.Updated, item.UpdatedParsed, loc, now)
	pubRaw, updRaw := item.Published, item.Updated
	switch {
	case !pok && !uok:
		raw := firstNonBlank(pubRaw, updRaw)
		if raw == "" {
			return now, now, true, DateNote{Problem: DateMissing}
		}
		return now, now, true, DateNote{Problem: DateUnparsed, Raw: dateRaw(raw)}
	case !pok:
		p, pubRaw = u, updRaw
	case !uok:
		u, updRaw = p, pubRaw
	}
	limit := now.Add(maxFuture)
	if p.After(limit) {
		return now, now, true, DateNote{Problem: DateClamped, Raw: dateRaw(pubRaw)}
	}
	if u.After(limit) {
		return p, p, false, DateNote{Problem: DateClamped, Raw: dateRaw(updRaw)}
	}
	return p, u, false, DateNote{}
}

// firstNonBlank is the first of a, b that is not blank, else "".
func firstNonBlank(a, b string) string {
	if strings.TrimSpace(a) != "" {
		return a
	}
	if strings.TrimSpace(b) != "" {
		return b
	}
	return ""
}

// dateRaw is raw as a DateNote keeps it.
func dateRaw(raw string) string {
	if len(raw) > 4*dateRawLen {
		raw = raw[:4*dateRawLen]
	}
	return Truncate(collapseSpace(cleanText(raw)), dateRawLen)
}

// itemDate parses raw in loc and falls back to gofeed's own parse, which
// keeps JSON Feed offsets right and knows a few more layouts. A date
// without a year ("10-17", "10月17日", as list pages print them) is the
// most recent such day not after now's (see ParseDateAt). Years outside
// 1000–9999 are refused: they are typos, and encoding/json cannot write
// years past 9999 when the store saves the entry.
func itemDate(raw string, parsed *time.Time, loc *time.Location, now time.Time) (time.Time, bool) {
	if t, ok := ParseDateAt(raw, loc, now); ok {
		return t, true
	}
	if parsed == nil || parsed.Year() < 1000 || parsed.Year() > 9999 {
		return time.Time{}, false
	}
	return parsed.UTC(), true
}
