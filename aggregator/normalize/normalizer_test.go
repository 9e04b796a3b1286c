package normalize

import (
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// fetchTime is the poll time the fixtures are normalized at.
var fetchTime = time.Date(2026, 10, 18, 0, 0, 0, 0, time.UTC)

func loadFeed(t testing.TB, name string) *gofeed.Feed {
	t.Helper()
	body, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	feed, err := gofeed.NewParser().ParseString(string(body))
	if err != nil {
		t.Fatalf("parse %s: %v", name, err)
	}
	return feed
}

func testSource(t testing.TB, feedURL, zone string) model.Source {
	return model.Source{ID: model.SourceID(feedURL), URL: feedURL, Location: mustLoad(t, zone)}
}

// byGUID indexes entries by GUID and fails on a repeated id.
func byGUID(t *testing.T, entries []model.Entry) map[string]model.Entry {
	t.Helper()
	ids := make(map[string]bool)
	m := make(map[string]model.Entry)
	for _, e := range entries {
		if ids[e.ID] {
			t.Fatalf("duplicate id %s (guid %q)", e.ID, e.GUID)
		}
		ids[e.ID] = true
		m[e.GUID] = e
	}
	return m
}

func shanghaiEntries(t *testing.T, opts Options) map[string]model.Entry {
	t.Helper()
	src := testSource(t, "https://news.example.edu.cn/rss.xml", "Asia/Shanghai")
	entries := New(opts).Entries(loadFeed(t, "shanghai.rss"), src, src.URL, fetchTime)
	if len(entries) != 10 {
		t.Fatalf("got %d entries, want 10", len(entries))
	}
	return byGUID(t, entries)
}

func TestNormalizer_EntriesDates(t *testing.T) {
	got := shanghaiEntries(t, Options{})
	tests := []struct {
		guid   string
		want   string
		noDate bool
	}{
		{"news-5566", "2026-10-17T02:30:00Z", false}, // zone-less, read in Shanghai
		{"news-5567", "2026-10-17T02:30:00Z", false}, // CST on a Shanghai source is +08:00
		{"news-5568", "2026-10-17T02:30:00Z", false}, // 2026年10月17日 10:30
		{"news-5569", "2026-01-01T16:00:00Z", false}, // 2026年1月2日
		{"news-5570", "2026-10-17T02:30:00Z", false}, // 2026/10/17 10:30:00
		{"news-5571", "2026-10-17T02:30:00Z", false}, // RFC 1123 +0800
		{"news-5572", "2026-10-18T00:00:00Z", true},  // months ahead: dated at the fetch, like an undated one
		{"news-5573", "2026-10-18T00:00:00Z", true},  // no date at all
		{"news-5575", "2026-10-17T02:30:00Z", false}, // month first, read in Shanghai
	}
	for _, tt := range tests {
		t.Run(tt.guid, func(t *testing.T) {
			e, ok := got[tt.guid]
			if !ok {
				t.Fatalf("no entry with guid %s", tt.guid)
			}
			if s := e.Published.Format(time.RFC3339Nano); s != tt.want {
				t.Errorf("Published = %s, want %s", s, tt.want)
			}
			if !e.Updated.Equal(e.Published) {
				t.Errorf("Updated = %v, want Published %v", e.Updated, e.Published)
			}
			if e.NoDate != tt.noDate {
				t.Errorf("NoDate = %v, want %v", e.NoDate, tt.noDate)
			}
			if !e.FirstSeen.Equal(fetchTime) || e.Published.Location() != time.UTC {
				t.Errorf("FirstSeen = %v, Published zone %v; want %v, UTC", e.FirstSeen, e.Published.Location(), fetchTime)
			}
		})
	}
}

func TestNormalizer_EntriesFields(t *testing.T) {
	src := testSource(t, "https://news.example.edu.cn/rss.xml", "Asia/Shanghai")
	e := shanghaiEntries(t, Options{})["news-5566"]
	checks := []struct {
		field, got, want string
	}{
		{"ID", e.ID, model.EntryID(src.ID, "news-5566")},
		{"SourceID", e.SourceID, src.ID},
		{"SourceTitle", e.SourceTitle, "示例大学 & 新闻网"},
		{"SourceLink", e.SourceLink, "https://news.example.edu.cn/"},
		{"SourceURL", e.SourceURL, src.URL},
		{"Title", e.Title, "我校举办<2026>学术年会"},
		{"Link", e.Link, "https://news.example.edu.cn/info/1021/5566.htm"},
		{"Author", e.Author, "宣传部"},
		{"Image", e.Image, "https://news.example.edu.cn/__local/A/B3/photo.jpg"},
	}
	for _, c := range checks {
		t.Run(c.field, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
			}
		})
	}
	t.Run("Categories", func(t *testing.T) {
		if want := []string{"新闻", "学术"}; !reflect.DeepEqual(e.Categories, want) {
			t.Errorf("Categories = %q, want %q", e.Categories, want)
		}
	})
	t.Run("Content", func(t *testing.T) {
		if !strings.Contains(e.Content, `<img src="https://news.example.edu.cn/__local/A/B3/photo.jpg" alt="开幕式现场"/>`) {
			t.Errorf("Content lacks the absolute image: %s", e.Content)
		}
	})
}

func TestNormalizer_EntriesSourceTitleOverride(t *testing.T) {
	src := testSource(t, "https://news.example.edu.cn/rss.xml", "Asia/Shanghai")
	src.Title = " 示例学院 "
	entries := New(Options{}).Entries(loadFeed(t, "shanghai.rss"), src, src.URL, fetchTime)
	if got := entries[0].SourceTitle; got != "示例学院" {
		t.Errorf("SourceTitle = %q, want configured title", got)
	}
}

func TestNormalizer_EntriesRelativeLinks(t *testing.T) {
	got := shanghaiEntries(t, Options{})
	tests := []struct{ guid, want string }{
		{"news-5566", "https://news.example.edu.cn/info/1021/5566.htm"}, // root-relative
		{"news-5567", "https://news.example.edu.cn/info/1021/5567.htm"}, // absolute
		{"news-5568", "https://news.example.edu.cn/info/1021/5568.htm"}, // path-relative to the site link
	}
	for _, tt := range tests {
		t.Run(tt.guid, func(t *testing.T) {
			if l := got[tt.guid].Link; l != tt.want {
				t.Errorf("Link = %q, want %q", l, tt.want)
			}
		})
	}
}

func TestNormalizer_EntriesSummary(t *testing.T) {
	tests := []struct {
		name           string
		opts           Options
		guid           string
		runes          int
		prefix, suffix string
	}{
		{"default length cut", Options{}, "news-5566", DefaultSummaryLen, "10月17日上午，我校2026年学术年会", ellipsis},
		{"cut right after an emoji", Options{SummaryLen: 81}, "news-5566", 81, "10月17日上午", "研讨。🎉…"},
		{"two emoji kept whole", Options{SummaryLen: 82}, "news-5566", 82, "10月17日上午", "研讨。🎉🎉…"},
		{"short cut", Options{SummaryLen: 10}, "news-5566", 10, "10月17日上午，…", "上午，…"},
		{"short text kept", Options{}, "news-5567", 11, "关于调整作息时间的通知", "通知"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := shanghaiEntries(t, tt.opts)[tt.guid].Summary
			if !utf8.ValidString(s) {
				t.Fatalf("Summary %q is not valid UTF-8", s)
			}
			if n := utf8.RuneCountInString(s); n != tt.runes {
				t.Errorf("Summary has %d runes, want %d: %q", n, tt.runes, s)
			}
			if !strings.HasPrefix(s, tt.prefix) || !strings.HasSuffix(s, tt.suffix) {
				t.Errorf("Summary = %q, want prefix %q and suffix %q", s, tt.prefix, tt.suffix)
			}
			if strings.ContainsAny(s, "<>") {
				t.Errorf("Summary %q holds markup", s)
			}
		})
	}
}

func TestNormalizer_EntriesUntitled(t *testing.T) {
	e := shanghaiEntries(t, Options{})["news-5574"]
	if want := "为进一步加强校园安全管理，保卫处定于10月20日开展消防演练，请全体师生积极配合。"; e.Title != want {
		t.Errorf("Title = %q, want %q", e.Title, want)
	}
	feed := &gofeed.Feed{Items: []*gofeed.Item{
		{Link: "https://a.example/x", Description: strings.Repeat("长", 100)},
		{Link: "https://a.example/y"},
	}}
	entries := New(Options{}).Entries(feed, model.Source{ID: "s"}, "", fetchTime)
	if got := entries[0].Title; utf8.RuneCountInString(got) != titleFromSummaryLen || !strings.HasSuffix(got, ellipsis) {
		t.Errorf("Title from long text = %q, want %d runes ending with …", got, titleFromSummaryLen)
	}
	if got := entries[1].Title; got != "https://a.example/y" {
		t.Errorf("Title without text = %q, want the link", got)
	}
}

func TestNormalizer_EntriesStableIDs(t *testing.T) {
	src := testSource(t, "https://news.example.edu.cn/rss.xml", "Asia/Shanghai")
	n := New(Options{})
	first := n.Entries(loadFeed(t, "shanghai.rss"), src, src.URL, fetchTime)
	again := n.Entries(loadFeed(t, "shanghai.rss"), src, src.URL, fetchTime.Add(time.Hour))
	reversed := loadFeed(t, "shanghai.rss")
	slices.Reverse(reversed.Items)
	rev := n.Entries(reversed, src, src.URL, fetchTime)

	ids := func(es []model.Entry) map[string]string {
		m := make(map[string]string)
		for _, e := range es {
			m[e.GUID] = e.ID
		}
		return m
	}
	want := ids(first)
	if len(want) != len(first) {
		t.Fatalf("ids not unique")
	}
	for name, got := range map[string]map[string]string{"second poll": ids(again), "reversed items": ids(rev)} {
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s: ids = %v, want %v", name, got, want)
		}
	}
}

func TestNormalizer_EntriesDuplicateGUIDs(t *testing.T) {
	src := testSource(t, "https://www.example.org/feed", "UTC")
	entries := New(Options{}).Entries(loadFeed(t, "dupguid.rss"), src, src.URL, fetchTime)
	tests := []struct {
		title, key, link string
	}{
		{"First story", "https://www.example.org/a/1.html", "https://WWW.Example.ORG/a/1.html#comments"},
		// "from" is a tracking parameter: gone from the key and the link.
		{"Second story", "https://www.example.org/a/2.html?id=2", "https://www.example.org/a/2.html?id=2"},
		{"No link, no guid", sha256Hex("No link, no guid\x00Fri, 16 Oct 2026 10:00:00 GMT"), ""},
		{"Unique guid", "story-5", "https://www.example.org/a/5.html"},
	}
	if len(entries) != len(tests) {
		t.Fatalf("got %d entries, want %d (the repeated first story dropped)", len(entries), len(tests))
	}
	for i, tt := range tests {
		t.Run(tt.title, func(t *testing.T) {
			e := entries[i]
			if e.Title != tt.title || e.Link != tt.link {
				t.Errorf("entry %d = %q %q, want %q %q", i, e.Title, e.Link, tt.title, tt.link)
			}
			if want := model.EntryID(src.ID, tt.key); e.ID != want {
				t.Errorf("ID = %s, want EntryID(%q) = %s", e.ID, tt.key, want)
			}
		})
	}
}

func TestNormalizer_EntriesContent(t *testing.T) {
	src := testSource(t, "https://blog.example.com/feed/", "UTC")
	got := byGUID(t, New(Options{}).Entries(loadFeed(t, "content.rss"), src, src.URL, fetchTime))
	e := got["post-xss"]
	for _, bad := range []string{"<script", "document.cookie", "onclick", "onerror", "javascript:", "<iframe", "<style", "style=", "track.example.net", "placeholder.png", "target="} {
		if strings.Contains(e.Content, bad) {
			t.Errorf("Content still holds %q: %s", bad, e.Content)
		}
	}
	for _, good := range []string{
		`<a href="https://blog.example.com/2026/10/about/" rel="nofollow noopener">about</a>`,
		`<img src="https://blog.example.com/wp-content/uploads/2026/10/hero.jpg" alt="hero"/>`,
	} {
		if !strings.Contains(e.Content, good) {
			t.Errorf("Content lacks %s: %s", good, e.Content)
		}
	}
	if e.Title != "Hostile markup" || e.Summary != "Short teaser & more" || e.Author != "Jane Editor" {
		t.Errorf("Title, Summary, Author = %q, %q, %q", e.Title, e.Summary, e.Author)
	}

	images := []struct{ guid, want string }{
		{"post-xss", "https://blog.example.com/wp-content/uploads/2026/10/hero.jpg"},
		{"post-enclosure", "https://blog.example.com/media/cover.jpg"},
		{"post-media-content", "https://cdn.example.com/media-content.jpg"},
		{"post-thumbnail", "https://blog.example.com/thumbs/t.jpg"},
		{"post-itunes", "https://cdn.example.com/itunes.jpg"},
		{"post-content-image", "https://blog.example.com/2026/10/content-image/images/figure-1.png"},
	}
	for _, tt := range images {
		t.Run("image "+tt.guid, func(t *testing.T) {
			if img := got[tt.guid].Image; img != tt.want {
				t.Errorf("Image = %q, want %q", img, tt.want)
			}
		})
	}
}

func TestNormalizer_EntriesAtom(t *testing.T) {
	src := testSource(t, "https://video.example.org/feeds/channel.atom", "Asia/Shanghai")
	got := byGUID(t, New(Options{}).Entries(loadFeed(t, "youtube.atom"), src, src.URL, fetchTime))
	v1, v2 := got["tag:video.example.org,2026:v1"], got["tag:video.example.org,2026:v2"]
	checks := []struct{ field, got, want string }{
		{"v1 Title", v1.Title, "Episode one"},
		{"v1 Link", v1.Link, "https://video.example.org/channel/watch/v1"},
		{"v1 Image", v1.Image, "https://img.video.example.org/v1/hq.jpg"},
		{"v1 Author", v1.Author, "Channel Host"},
		{"v1 Published", v1.Published.Format(time.RFC3339), "2026-10-17T07:00:00Z"},
		{"v1 Content", v1.Content, `<p>See <a href="https://video.example.org/channel/notes/v1" rel="nofollow noopener">notes</a></p>`},
		{"v1 Categories", strings.Join(v1.Categories, ","), "Video"},
		{"v2 Image", v2.Image, "https://img.video.example.org/v2/hq.jpg"},
		{"v2 Author", v2.Author, "only@video.example.org"},
		{"v2 Published", v2.Published.Format(time.RFC3339), "2026-10-16T09:00:00Z"},
		{"v2 Updated", v2.Updated.Format(time.RFC3339), "2026-10-17T10:00:00Z"},
		{"v2 Summary", v2.Summary, "Second episode summary"},
		{"SourceLink", v1.SourceLink, "https://video.example.org/channel/"},
	}
	for _, c := range checks {
		t.Run(c.field, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
			}
		})
	}
}

func TestNormalizer_EntriesJSONFeed(t *testing.T) {
	src := testSource(t, "https://notes.example.jp/feed.json", "Asia/Shanghai")
	entries := New(Options{}).Entries(loadFeed(t, "feed.json"), src, src.URL, fetchTime)
	if len(entries) != 2 {
		t.Fatalf("got %d entries, want 2", len(entries))
	}
	maple, rain := entries[0], entries[1]
	checks := []struct{ field, got, want string }{
		{"maple Published", maple.Published.Format(time.RFC3339Nano), "2026-10-17T01:30:00Z"},
		{"maple Updated", maple.Updated.Format(time.RFC3339Nano), "2026-10-17T03:00:00.5Z"},
		{"maple Image", maple.Image, "https://notes.example.jp/img/maple-cover.jpg"},
		{"maple Author", maple.Author, "Aiko"},
		{"maple Categories", strings.Join(maple.Categories, ","), "travel,kyoto"},
		{"maple Title", maple.Title, "紅葉の便り 🍁"},
		{"maple ID", maple.ID, model.EntryID(src.ID, "https://notes.example.jp/2026/10/17/maple")},
		{"rain Published", rain.Published.Format(time.RFC3339Nano), "2026-10-17T02:15:00Z"},
		{"rain Content", rain.Content, "It rained all day."},
		{"rain Summary", rain.Summary, "It rained all day."},
	}
	for _, c := range checks {
		t.Run(c.field, func(t *testing.T) {
			if c.got != c.want {
				t.Errorf("%s = %q, want %q", c.field, c.got, c.want)
			}
		})
	}
}

func TestNormalizer_EntriesEdgeCases(t *testing.T) {
	n := New(Options{})
	if got := n.Entries(nil, model.Source{}, "", fetchTime); got != nil {
		t.Errorf("nil feed gave %v", got)
	}
	feed := &gofeed.Feed{Items: []*gofeed.Item{
		nil,
		{Title: "a\x00b\x0b", GUID: "g\x01", Link: "javascript:alert(1)", Published: "2026-10-17 10:30:00",
			Categories: []string{"x\x02"}},
	}}
	entries := n.Entries(feed, model.Source{ID: "s"}, "not a url", fetchTime)
	if len(entries) != 1 {
		t.Fatalf("got %d entries, want 1", len(entries))
	}
	e := entries[0]
	if e.Title != "ab" || e.GUID != "g" || e.Link != "" || e.Categories[0] != "x" {
		t.Errorf("entry = %+v", e)
	}
	if got := e.Published.Format(time.RFC3339); got != "2026-10-17T10:30:00Z" {
		t.Errorf("nil Location: Published = %s, want zone-less read as UTC", got)
	}
}

func FuzzEntries(f *testing.F) {
	for _, name := range []string{"shanghai.rss", "dupguid.rss", "content.rss", "youtube.atom", "feed.json"} {
		body, err := os.ReadFile(filepath.Join("testdata", name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(body))
	}
	n := New(Options{SummaryLen: 40})
	src := testSource(f, "https://fuzz.example/feed", "Asia/Shanghai")
	f.Fuzz(func(t *testing.T, body string) {
		feed, err := gofeed.NewParser().ParseString(body)
		if err != nil {
			return
		}
		seen := make(map[string]bool)
		for _, e := range n.Entries(feed, src, src.URL, fetchTime) {
			if seen[e.ID] {
				t.Fatalf("duplicate id %s", e.ID)
			}
			seen[e.ID] = true
			fields := append([]string{e.ID, e.SourceTitle, e.SourceLink, e.SourceURL, e.GUID, e.Title,
				e.Link, e.CanonicalLink, e.Summary, e.Content, e.Author, e.Image}, e.Categories...)
			for _, s := range fields {
				if !utf8.ValidString(s) || !isCleanText(s) {
					t.Fatalf("field %q is not clean UTF-8", s)
				}
			}
			if e.CanonicalLink != "" && n.tracking.canonical(e.CanonicalLink) != e.CanonicalLink {
				t.Fatalf("canonical link %q is not canonical", e.CanonicalLink)
			}
			if utf8.RuneCountInString(e.Summary) > 40 {
				t.Fatalf("summary %q longer than 40 runes", e.Summary)
			}
			for _, f := range []string{e.Title, e.Author, e.SourceTitle} {
				if utf8.RuneCountInString(f) > DefaultTitleLen {
					t.Fatalf("title or author of %d runes", utf8.RuneCountInString(f))
				}
			}
			if len(e.Content) > DefaultContentBytes {
				t.Fatalf("content of %d bytes", len(e.Content))
			}
			if len(e.Categories) > DefaultMaxCategories {
				t.Fatalf("%d categories", len(e.Categories))
			}
			for _, c := range e.Categories {
				if utf8.RuneCountInString(c) > DefaultCategoryLen || PlainText(c) != c {
					t.Fatalf("category %q too long or not plain text", c)
				}
			}
			if strings.ContainsAny(e.Link+e.Image+e.SourceLink, "\"'<> ") {
				t.Fatalf("link, image or source link holds a quote, bracket or space: %q %q %q", e.Link, e.Image, e.SourceLink)
			}
			if e.Published.After(fetchTime.Add(maxFuture)) || e.Published.Location() != time.UTC {
				t.Fatalf("published %v not clamped or not UTC", e.Published)
			}
		}
	})
}

func BenchmarkEntries(b *testing.B) {
	feed := loadFeed(b, "bench100.rss")
	if len(feed.Items) != 100 {
		b.Fatalf("fixture has %d items, want 100", len(feed.Items))
	}
	n := New(Options{})
	src := testSource(b, "https://news.example.edu.cn/rss.xml", "Asia/Shanghai")
	b.ReportAllocs()
	for b.Loop() {
		if got := n.Entries(feed, src, src.URL, fetchTime); len(got) != 100 {
			b.Fatalf("got %d entries", len(got))
		}
	}
}

func sha256Hex(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:])
}
