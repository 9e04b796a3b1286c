package normalize

import (
	"fmt"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestNormalizer_EntriesLimits feeds one oversized item per case through
// Entries with the default limits. The inputs are those of a hostile or
// broken feed: megabytes where a line is expected, nesting no page needs.
func TestNormalizer_EntriesLimits(t *testing.T) {
	tests := []struct {
		name  string
		item  func() *gofeed.Item
		check func(t *testing.T, e model.Entry)
	}{
		{
			name: "5 MB title",
			item: func() *gofeed.Item { return &gofeed.Item{Title: strings.Repeat("标题title", 5<<20/11)} },
			check: func(t *testing.T, e model.Entry) {
				checkCut(t, "Title", e.Title, DefaultTitleLen)
			},
		},
		{
			name: "5 MB title of markup",
			item: func() *gofeed.Item { return &gofeed.Item{Title: strings.Repeat("<b>bold</b>&amp;", 5<<20/16)} },
			check: func(t *testing.T, e model.Entry) {
				checkCut(t, "Title", e.Title, DefaultTitleLen)
				if strings.Contains(e.Title, "<b>") || strings.Contains(e.Title, "&amp;") {
					t.Errorf("Title keeps markup: %.80q", e.Title)
				}
			},
		},
		{
			name: "5 MB author",
			item: func() *gofeed.Item {
				return &gofeed.Item{Title: "t", Authors: []*gofeed.Person{{Name: strings.Repeat("作者", 5<<20/6)}}}
			},
			check: func(t *testing.T, e model.Entry) {
				checkCut(t, "Author", e.Author, DefaultTitleLen)
			},
		},
		{
			name: "9 MB of text content",
			item: func() *gofeed.Item {
				return &gofeed.Item{Title: "t", Content: strings.Repeat("lorem ipsum & dolor ", 9<<20/20)}
			},
			check: func(t *testing.T, e model.Entry) {
				checkContent(t, e.Content, DefaultContentBytes-4096, DefaultHTMLDepth)
				if !strings.HasPrefix(e.Content, "lorem ipsum &amp; dolor") || !strings.HasSuffix(e.Content, ellipsis) {
					t.Errorf("Content = %.40q … %q, want the start of the text marked as cut", e.Content, e.Content[len(e.Content)-20:])
				}
			},
		},
		{
			name: "2 MB of HTML content",
			item: func() *gofeed.Item {
				para := `<p>Lorem <b>ipsum</b> <a href="/x?a=1&b=2">dolor</a> sit <img src="/i.png" alt="i"> amet</p>` + "\n"
				return &gofeed.Item{Title: "t", Link: "https://limits.example.org/big", Content: "<div>" + strings.Repeat(para, 2<<20/len(para))}
			},
			check: func(t *testing.T, e model.Entry) {
				checkContent(t, e.Content, DefaultContentBytes-4096, DefaultHTMLDepth)
				if !strings.HasSuffix(e.Content, "</div>") {
					t.Errorf("Content ends %q, want the open <div> closed", e.Content[len(e.Content)-40:])
				}
			},
		},
		{
			name: "500,000 nested divs",
			item: func() *gofeed.Item {
				const depth = 500_000
				return &gofeed.Item{Title: "t", Content: strings.Repeat("<div>", depth) + "deep text" +
					strings.Repeat("</div>", depth) + "<p>after</p>"}
			},
			check: func(t *testing.T, e model.Entry) {
				depth := checkContent(t, e.Content, 1, DefaultHTMLDepth)
				if depth != DefaultHTMLDepth {
					t.Errorf("depth %d, want the first %d divs kept", depth, DefaultHTMLDepth)
				}
				for _, text := range []string{"deep text", "<p>after</p>"} {
					if !strings.Contains(e.Content, text) {
						t.Errorf("Content lost %q", text)
					}
				}
			},
		},
		{
			name: "1,000 categories of 10 KB",
			item: func() *gofeed.Item {
				item := &gofeed.Item{Title: "t"}
				for i := range 1000 {
					item.Categories = append(item.Categories, fmt.Sprintf("%d %s", i, strings.Repeat("类", 10<<10/3)))
				}
				return item
			},
			check: func(t *testing.T, e model.Entry) {
				if len(e.Categories) != DefaultMaxCategories {
					t.Fatalf("%d categories, want %d", len(e.Categories), DefaultMaxCategories)
				}
				for _, c := range e.Categories {
					checkCut(t, "Category", c, DefaultCategoryLen)
				}
			},
		},
	}
	n := New(Options{})
	src := testSource(t, "https://limits.example.org/feed", "UTC")
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed := &gofeed.Feed{Title: "limits", Items: []*gofeed.Item{tt.item()}}
			entries := n.Entries(feed, src, src.URL, fetchTime)
			if len(entries) != 1 {
				t.Fatalf("got %d entries, want 1", len(entries))
			}
			tt.check(t, entries[0])
		})
	}
}

// checkCut checks that s was cut to exactly n runes, "…" included.
func checkCut(t *testing.T, field, s string, n int) {
	t.Helper()
	if got := utf8.RuneCountInString(s); got != n || !strings.HasSuffix(s, ellipsis) {
		t.Errorf("%s has %d runes ending %q, want %d ending %q", field, got, lastRunes(s, 5), n, ellipsis)
	}
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	return string(r[max(0, len(r)-n):])
}

// checkContent checks that content is well-formed, nested at most
// maxDepth deep and between minBytes and the default content limit long;
// it returns the depth.
func checkContent(t *testing.T, content string, minBytes, maxDepth int) int {
	t.Helper()
	if len(content) > DefaultContentBytes || len(content) < minBytes {
		t.Errorf("Content is %d bytes, want %d to %d", len(content), minBytes, DefaultContentBytes)
	}
	depth, err := wellFormed(content)
	if err != nil {
		t.Errorf("Content is not well-formed: %v", err)
	}
	if depth > maxDepth {
		t.Errorf("Content nests %d deep, want at most %d", depth, maxDepth)
	}
	return depth
}

// TestNormalizer_EntriesLimitsFixture checks the limits on the fields of
// testdata/limits.rss: categories are plain text that no output can take
// for markup, at most 20 of at most 100 runes; links are percent-encoded.
func TestNormalizer_EntriesLimitsFixture(t *testing.T) {
	src := testSource(t, "https://limits.example.org/feed", "UTC")
	got := byGUID(t, New(Options{}).Entries(loadFeed(t, "limits.rss"), src, src.URL, fetchTime))
	cats30 := make([]string, 20)
	for i := range cats30 {
		cats30[i] = fmt.Sprintf("cat-%02d", i+1)
	}
	tests := []struct {
		guid       string
		categories []string
		link       string
	}{
		{"category-markup", []string{"Sports", "News today", "R&D & more", "a < b"}, "https://limits.example.org/1"},
		{"thirty-categories", cats30, "https://limits.example.org/2"},
		{"long-category", []string{strings.Repeat("类", 99) + ellipsis}, "https://limits.example.org/3"},
		{"quoted-link", nil, "http://example.org/a%22b%20c"},
		{"bracket-link", nil, "http://example.org/q?x=%271%27&y=%3C2%3E#top%23again"},
	}
	for _, tt := range tests {
		t.Run(tt.guid, func(t *testing.T) {
			e := got[tt.guid]
			if !reflect.DeepEqual(e.Categories, tt.categories) {
				t.Errorf("Categories = %q, want %q", e.Categories, tt.categories)
			}
			for _, c := range e.Categories {
				if PlainText(c) != c {
					t.Errorf("category %q reads as %q in HTML", c, PlainText(c))
				}
			}
			if e.Link != tt.link {
				t.Errorf("Link = %q, want %q", e.Link, tt.link)
			}
		})
	}
}

// TestNormalizer_EntriesMaxItems takes the newest items of a document too
// long to store: by date when the items have one, else the first ones.
func TestNormalizer_EntriesMaxItems(t *testing.T) {
	const total, keep = 5000, DefaultMaxItems
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		// date is the pubDate of item i, "" for none.
		date func(i int) string
		// want are the item numbers kept, in document order.
		want []int
	}{
		{
			name: "oldest first",
			date: func(i int) string { return start.Add(time.Duration(i) * time.Hour).Format(time.RFC1123Z) },
			want: span(total-keep, total),
		},
		{
			name: "newest first",
			date: func(i int) string { return start.Add(-time.Duration(i) * time.Hour).Format(time.RFC1123Z) },
			want: span(0, keep),
		},
		{
			name: "no dates",
			date: func(int) string { return "" },
			want: span(0, keep),
		},
		{
			name: "newest in the middle",
			date: func(i int) string {
				return start.Add(-time.Duration(abs(i-total/2)) * time.Hour).Format(time.RFC1123Z)
			},
			want: span(total/2-keep/2, total/2+keep/2),
		},
	}
	src := testSource(t, "https://limits.example.org/feed", "UTC")
	n := New(Options{})
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			feed := &gofeed.Feed{}
			for i := range total {
				feed.Items = append(feed.Items, &gofeed.Item{Title: fmt.Sprint(i), GUID: fmt.Sprint(i), Published: tt.date(i)})
			}
			entries := n.Entries(feed, src, src.URL, fetchTime)
			got := make([]int, len(entries))
			for i, e := range entries {
				fmt.Sscan(e.GUID, &got[i])
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("kept %d items %v … %v, want %d: %v … %v", len(got), head(got), tail(got), len(tt.want), head(tt.want), tail(tt.want))
			}
		})
	}
}

func TestNormalizer_EntriesMaxItemsOption(t *testing.T) {
	feed := &gofeed.Feed{}
	for i := range 30 {
		feed.Items = append(feed.Items, &gofeed.Item{Title: fmt.Sprint(i), GUID: fmt.Sprint(i)})
	}
	src := testSource(t, "https://limits.example.org/feed", "UTC")
	if got := New(Options{MaxItems: 7}).Entries(feed, src, src.URL, fetchTime); len(got) != 7 || got[0].GUID != "0" {
		t.Errorf("MaxItems 7: got %d entries starting %q", len(got), got[0].GUID)
	}
}

func span(from, to int) []int {
	out := make([]int, 0, to-from)
	for i := from; i < to; i++ {
		out = append(out, i)
	}
	return out
}

func head(s []int) []int { return s[:min(3, len(s))] }
func tail(s []int) []int { return s[max(0, len(s)-3):] }

func abs(i int) int { return max(i, -i) }
