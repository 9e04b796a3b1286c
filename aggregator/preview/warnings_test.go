package preview

import (
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// listOf is a list page of n items read with rules, each linking
// /info/N.htm, with fields found in every item.
func listOf(n int, rules model.Scrape) *parse.ListPage {
	page := &parse.ListPage{Total: n, Rules: rules, Feed: &gofeed.Feed{},
		Fields: parse.FieldCounts{Title: n, Link: n, Date: n}}
	for i := range n {
		page.Feed.Items = append(page.Feed.Items, &gofeed.Item{Title: fmt.Sprint("通知", i), Link: fmt.Sprintf("https://www.example.edu.cn/info/%d.htm", i)})
	}
	return page
}

// datedEntries are entries dated on the given days (zero: no date).
func datedEntries(days ...time.Time) ([]model.Entry, []normalize.DateNote) {
	var entries []model.Entry
	var notes []normalize.DateNote
	for _, d := range days {
		e := model.Entry{Published: d}
		note := normalize.DateNote{}
		if d.IsZero() {
			e.NoDate, note.Problem = true, normalize.DateMissing
		}
		entries = append(entries, e)
		notes = append(notes, note)
	}
	return entries, notes
}

func TestWarnings(t *testing.T) {
	now := time.Date(2025, 3, 12, 2, 0, 0, 0, time.UTC)
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
	recent, recentNotes := datedEntries(day(2025, 3, 10), day(2025, 3, 9), day(2025, 2, 28), day(2024, 12, 30))

	titleMiss := listOf(20, model.Scrape{Items: "li", Title: "span.title"})
	titleMiss.Fields.Title = 3
	dateNone := listOf(20, model.Scrape{Items: "li", Date: "span.date"})
	dateNone.Fields.Date = 0
	dateAttr := listOf(4, model.Scrape{Items: "li", DateAttr: "data-time"})
	dateAttr.Fields.Date = 2
	separators := listOf(20, model.Scrape{Items: "li", Date: "span.date"})
	separators.Fields.Date = 18
	separators.Skipped = []parse.Skip{{Position: 5, Reason: parse.SkipNoLink}, {Position: 11, Reason: parse.SkipNoLink}}
	category := listOf(12, model.Scrape{Items: "li"})
	for i, it := range category.Feed.Items {
		it.Link = fmt.Sprintf("https://www.example.edu.cn/xx/%d.htm", i%3)
	}
	pinnedTwice := listOf(20, model.Scrape{Items: "li"})
	pinnedTwice.Feed.Items[1].Link = pinnedTwice.Feed.Items[0].Link
	undated, undatedNotes := datedEntries(time.Time{}, time.Time{}, time.Time{})
	undatedNotes[1].Problem = normalize.DateUnparsed
	oddEntries, oddNotes := datedEntries(day(2025, 3, 1), day(2025, 2, 1), day(2025, 1, 1), day(2015, 6, 1), day(1970, 1, 1), now)
	oddEntries[5].NoDate = true
	oddNotes[5] = normalize.DateNote{Problem: normalize.DateClamped, Raw: "2099-01-01"}
	spanEntries, spanNotes := datedEntries(day(2025, 3, 1), day(2023, 2, 1), day(2021, 1, 1), day(2020, 6, 1))

	tests := []struct {
		name    string
		page    *parse.ListPage
		entries []model.Entry
		notes   []normalize.DateNote
		want    []model.ListWarning
	}{
		{"clean list", listOf(4, model.Scrape{Items: "li", Date: "span"}), recent, recentNotes, []model.ListWarning{}},
		{"no page", nil, recent, recentNotes, []model.ListWarning{}},
		{"title selector matching few", titleMiss, recent, recentNotes,
			[]model.ListWarning{{Code: model.ListWarnTitleNoMatch, Count: 3, Total: 20, Detail: "span.title"}}},
		{"date selector matching none", dateNone, undated, undatedNotes,
			[]model.ListWarning{{Code: model.ListWarnDateNoMatch, Count: 0, Total: 20, Detail: "span.date"}}},
		{"date attribute matching half", dateAttr, recent, recentNotes,
			[]model.ListWarning{{Code: model.ListWarnDateNoMatch, Count: 2, Total: 4, Detail: "@data-time"}}},
		{"separators without date or link", separators, recent, recentNotes, []model.ListWarning{}},
		{"category links first", category, recent, recentNotes,
			[]model.ListWarning{{Code: model.ListWarnSameLink, Count: 12, Total: 12, Detail: "https://www.example.edu.cn/xx/0.htm"}}},
		{"a notice pinned and listed again", pinnedTwice, recent, recentNotes, []model.ListWarning{}},
		{"one item", listOf(1, model.Scrape{Items: "ul.news"}), recent[:1], recentNotes[:1],
			[]model.ListWarning{{Code: model.ListWarnOneItem, Count: 1, Total: 1}}},
		{"no dates", listOf(3, model.Scrape{Items: "li"}), undated, undatedNotes,
			[]model.ListWarning{{Code: model.ListWarnNoDates, Count: 3, Total: 3}}},
		{"odd years", listOf(6, model.Scrape{Items: "li"}), oddEntries, oddNotes,
			[]model.ListWarning{{Code: model.ListWarnOddYears, Count: 3, Total: 6, Detail: "1970, 2015, 2099"}}},
		{"a list of a few years", listOf(4, model.Scrape{Items: "li"}), spanEntries, spanNotes, []model.ListWarning{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Warnings(tt.page, tt.entries, tt.notes, time.UTC, now)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Warnings = %+v, want %+v", got, tt.want)
			}
		})
	}
}
