package normalize

import (
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// TestNormalizer_EntriesWithDates: every entry comes with what became of
// its date; items without a usable one are dated at the fetch with NoDate
// (so the store keeps their first-seen time), and the raw text of a date
// that could not be used is kept, cleaned and bounded, for the report.
func TestNormalizer_EntriesWithDates(t *testing.T) {
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	gofeedOnly := time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
	farAhead := time.Date(2099, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name      string
		item      gofeed.Item
		published string // RFC 3339 in UTC
		updated   string
		noDate    bool
		problem   DateProblem
		raw       string
	}{
		{"label parses", gofeed.Item{Published: "发布时间：2026-11-29"},
			"2026-11-28T16:00:00Z", "2026-11-28T16:00:00Z", false, DateOK, ""},
		{"missing", gofeed.Item{},
			"2026-12-01T02:00:00Z", "2026-12-01T02:00:00Z", true, DateMissing, ""},
		{"blank", gofeed.Item{Published: "  ", Updated: "\n"},
			"2026-12-01T02:00:00Z", "2026-12-01T02:00:00Z", true, DateMissing, ""},
		{"unparsed", gofeed.Item{Published: "下周一上午"},
			"2026-12-01T02:00:00Z", "2026-12-01T02:00:00Z", true, DateUnparsed, "下周一上午"},
		{"unparsed updated only", gofeed.Item{Updated: "soon"},
			"2026-12-01T02:00:00Z", "2026-12-01T02:00:00Z", true, DateUnparsed, "soon"},
		{"unparsed published, usable updated", gofeed.Item{Published: "soon", Updated: "2026-11-29 14:30"},
			"2026-11-29T06:30:00Z", "2026-11-29T06:30:00Z", false, DateOK, ""},
		{"gofeed's parse as fallback", gofeed.Item{Published: "Nov-20-2026 16h00", PublishedParsed: &gofeedOnly},
			"2026-11-20T08:00:00Z", "2026-11-20T08:00:00Z", false, DateOK, ""},
		{"gofeed's year 2099 is still future", gofeed.Item{Published: "2099/01/01 junk", PublishedParsed: &farAhead},
			"2026-12-01T02:00:00Z", "2026-12-01T02:00:00Z", true, DateClamped, "2099/01/01 junk"},
		{"future", gofeed.Item{Published: "2099-01-01 00:00"},
			"2026-12-01T02:00:00Z", "2026-12-01T02:00:00Z", true, DateClamped, "2099-01-01 00:00"},
		{"within the skew", gofeed.Item{Published: "2026-12-02 09:00"},
			"2026-12-02T01:00:00Z", "2026-12-02T01:00:00Z", false, DateOK, ""},
		{"just beyond the skew", gofeed.Item{Published: "2026-12-02 10:00:01"},
			"2026-12-01T02:00:00Z", "2026-12-01T02:00:00Z", true, DateClamped, "2026-12-02 10:00:01"},
		{"future updated only", gofeed.Item{Published: "2026-11-29 14:30", Updated: "2099-01-01"},
			"2026-11-29T06:30:00Z", "2026-11-29T06:30:00Z", false, DateClamped, "2099-01-01"},
		{"raw cleaned", gofeed.Item{Published: "  not\x00 a\n\tdate  "},
			"2026-12-01T02:00:00Z", "2026-12-01T02:00:00Z", true, DateUnparsed, "not a date"},
		{"raw cut", gofeed.Item{Published: strings.Repeat("日", 5000)},
			"2026-12-01T02:00:00Z", "2026-12-01T02:00:00Z", true, DateUnparsed, strings.Repeat("日", dateRawLen-1) + "…"},
	}
	src := testSource(t, "https://news.example.edu.cn/rss.xml", "Asia/Shanghai")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			item := tt.item
			item.Title, item.Link = "标题", "https://news.example.edu.cn/info/1.htm"
			feed := &gofeed.Feed{FeedType: "rss", Items: []*gofeed.Item{&item}}
			entries, dates := New(Options{}).EntriesWithDates(feed, src, src.URL, now)
			if len(entries) != 1 || len(dates) != 1 {
				t.Fatalf("got %d entries, %d date notes, want 1, 1", len(entries), len(dates))
			}
			e, note := entries[0], dates[0]
			if got := e.Published.Format(time.RFC3339); got != tt.published {
				t.Errorf("Published = %s, want %s", got, tt.published)
			}
			if got := e.Updated.Format(time.RFC3339); got != tt.updated {
				t.Errorf("Updated = %s, want %s", got, tt.updated)
			}
			if e.NoDate != tt.noDate {
				t.Errorf("NoDate = %v, want %v", e.NoDate, tt.noDate)
			}
			if note.Problem != tt.problem || note.Raw != tt.raw {
				t.Errorf("note = %v %q, want %v %q", note.Problem, note.Raw, tt.problem, tt.raw)
			}
		})
	}
}

// TestNormalizer_EntriesWithDates_aligned: dates[i] is entries[i]'s, also
// when repeated items are dropped, and Entries gives the same entries.
func TestNormalizer_EntriesWithDates_aligned(t *testing.T) {
	now := time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC)
	feed := &gofeed.Feed{FeedType: "rss", Items: []*gofeed.Item{
		{GUID: "a", Title: "a", Published: "2026-11-29"},
		{GUID: "b", Title: "b", Published: "2099-01-01"},
		nil,
		{Title: "c"},
		{Title: "c", Description: "the same item again"},
		{GUID: "d", Title: "d", Published: "whenever"},
	}}
	src := testSource(t, "https://news.example.edu.cn/rss.xml", "Asia/Shanghai")
	n := New(Options{})
	entries, dates := n.EntriesWithDates(feed, src, src.URL, now)
	want := []struct {
		title   string
		problem DateProblem
	}{{"a", DateOK}, {"b", DateClamped}, {"c", DateMissing}, {"d", DateUnparsed}}
	if len(entries) != len(want) || len(dates) != len(want) {
		t.Fatalf("got %d entries, %d notes, want %d", len(entries), len(dates), len(want))
	}
	for i, w := range want {
		if entries[i].Title != w.title || dates[i].Problem != w.problem {
			t.Errorf("%d: %s %v, want %s %v", i, entries[i].Title, dates[i].Problem, w.title, w.problem)
		}
	}
	plain := n.Entries(feed, src, src.URL, now)
	if len(plain) != len(entries) {
		t.Fatalf("Entries gave %d entries, EntriesWithDates %d", len(plain), len(entries))
	}
	for i := range plain {
		if plain[i].ID != entries[i].ID {
			t.Errorf("%d: Entries %s, EntriesWithDates %s", i, plain[i].ID, entries[i].ID)
		}
	}
}
