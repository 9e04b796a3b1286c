package normalize

import (
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// TestNormalizer_EntriesYearlessDates: the dates list pages print without
// a year are the most recent such day, in the source's zone, that is not
// after the fetch's day; no date at all is the fetch time, marked NoDate.
func TestNormalizer_EntriesYearlessDates(t *testing.T) {
	// 2027-01-02 09:00 in Shanghai: a "12-31" is last year's.
	now := time.Date(2027, 1, 2, 1, 0, 0, 0, time.UTC)
	tests := []struct {
		raw    string
		want   string // RFC 3339 in UTC
		noDate bool
	}{
		{"01-02", "2027-01-01T16:00:00Z", false},
		{"1月2日 08:30", "2027-01-02T00:30:00Z", false},
		{"12-31", "2026-12-30T16:00:00Z", false},
		{"12月31日", "2026-12-30T16:00:00Z", false},
		{"[10-17]", "2026-10-16T16:00:00Z", false},
		// Tomorrow's date is last year's: a list page shows no future.
		{"01-03", "2026-01-02T16:00:00Z", false},
		{"2026-10-17", "2026-10-16T16:00:00Z", false},
		{"", "2027-01-02T01:00:00Z", true},
		{"不是日期", "2027-01-02T01:00:00Z", true},
	}
	src := testSource(t, "https://www.example.edu.cn/xxyw.htm", "Asia/Shanghai")
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			feed := &gofeed.Feed{FeedType: "html", Items: []*gofeed.Item{
				{Title: "标题", Link: "https://www.example.edu.cn/info/1.htm", Published: tt.raw},
			}}
			entries := New(Options{}).Entries(feed, src, src.URL, now)
			if len(entries) != 1 {
				t.Fatalf("got %d entries", len(entries))
			}
			e := entries[0]
			if got := e.Published.Format(time.RFC3339); got != tt.want || e.NoDate != tt.noDate {
				t.Errorf("published %s (no date %v), want %s (%v)", got, e.NoDate, tt.want, tt.noDate)
			}
		})
	}
}
