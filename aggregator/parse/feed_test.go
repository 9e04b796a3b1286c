package parse

import (
	"errors"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// TestFeed_AlmostFeeds: documents Python's feedparser reads and gofeed
// alone does not (or reads without usable dates).
func TestFeed_AlmostFeeds(t *testing.T) {
	tests := []struct {
		name, file   string
		gofeedFails  bool
		wantType     string
		wantTitle    string
		wantItems    []string // item links
		wantCreator  string   // dc:creator of the first item: the namespace came along
		wantPublshed []string // normalized, RFC 3339 UTC
	}{
		{name: "blank lines before the declaration", file: "feed_blank_decl.rss", wantType: "rss", wantTitle: "示例学院新闻",
			wantItems: []string{"http://www.example.edu.cn/info/1001/3399.htm"}, wantPublshed: []string{"2026-10-16T01:00:00Z"}},
		{name: "text before the declaration", file: "feed_junk_decl.rss", gofeedFails: true, wantType: "rss", wantTitle: "示例学院新闻",
			wantItems: []string{"http://www.example.edu.cn/info/1001/3399.htm"}, wantPublshed: []string{"2026-10-16T01:00:00Z"}},
		{name: "unix timestamps in dc:date", file: "feed_unix_dcdate.rss", wantType: "rss", wantTitle: "示例学院通知",
			wantItems:    []string{"http://www.example.edu.cn/tzgg/1.htm", "http://www.example.edu.cn/tzgg/2.htm"},
			wantPublshed: []string{"2026-10-03T01:30:00Z", "2026-10-15T03:20:00Z"}},
		{name: "atom inside xhtml", file: "feed_in_xhtml.xhtml", gofeedFails: true, wantType: "atom", wantTitle: "示例学院新闻",
			wantItems:   []string{"http://www.example.edu.cn/info/1001/3401.htm", "http://www.example.edu.cn/info/1001/3399.htm"},
			wantCreator: "党委宣传部", wantPublshed: []string{"2026-10-17T01:30:00Z", "2026-10-15T00:00:00Z"}},
		{name: "prefixed atom inside xhtml", file: "feed_in_xhtml_prefixed.xhtml", gofeedFails: true, wantType: "atom", wantTitle: "示例学院通知",
			wantItems: []string{"http://www.example.edu.cn/tzgg/2.htm"}, wantPublshed: []string{"2026-10-17T01:30:00Z"}},
	}
	norm := normalize.New(normalize.Options{})
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := fixture(t, tt.file)
			if _, err := gofeed.NewParser().Parse(bytesReader(body)); (err != nil) != tt.gofeedFails {
				t.Errorf("gofeed alone: err = %v; the fixture no longer shows what it is for", err)
			}
			feed, err := Feed(body, FeedOptions{})
			if err != nil {
				t.Fatal(err)
			}
			if feed.FeedType != tt.wantType || feed.Title != tt.wantTitle || len(feed.Items) != len(tt.wantItems) {
				t.Fatalf("feed %s %q with %d items", feed.FeedType, feed.Title, len(feed.Items))
			}
			src := model.Source{ID: "s", URL: "http://www.example.edu.cn/rss.xml", Location: shanghai}
			entries := norm.Entries(feed, src, src.URL, time.Date(2026, 10, 20, 2, 0, 0, 0, time.UTC))
			for i, e := range entries {
				if e.Link != tt.wantItems[i] || e.Published.Format(time.RFC3339) != tt.wantPublshed[i] || e.NoDate {
					t.Errorf("entry %d: %s %s (no date %v), want %s %s", i, e.Link, e.Published.Format(time.RFC3339), e.NoDate, tt.wantItems[i], tt.wantPublshed[i])
				}
			}
			if tt.wantCreator != "" {
				if dc := feed.Items[0].Extensions["dc"]["creator"]; len(dc) != 1 || dc[0].Value != tt.wantCreator {
					t.Errorf("dc:creator = %+v, want %q", dc, tt.wantCreator)
				}
			}
		})
	}
}

func TestFeed_Reason(t *testing.T) {
	tests := []struct {
		name      string
		body      []byte
		opts      FeedOptions
		want      string
		is        error
		wantFeeds int
	}{
		{"page advertising nothing", fixture(t, "home_nofeed.html"), FeedOptions{URL: "https://www.example.cn/"}, NoFeedReason, ErrNoFeed, 0},
		{"list page", fixture(t, "list_ul.html"), FeedOptions{}, NoFeedReason, ErrNoFeed, 0},
		{"page advertising feeds", fixture(t, "home_feeds.html"), FeedOptions{URL: "https://www.example.edu.cn/"},
			"not a feed: HTML page advertising https://news.example.edu.cn/atom.xml", ErrHTMLPage, 4},
		{"other XML", []byte(`<?xml version="1.0"?><urlset><url/></urlset>`), FeedOptions{}, "not a feed: XML with root <urlset>", gofeed.ErrFeedTypeNotDetected, 0},
		{"JSON", []byte(`{"status": "ok"}`), FeedOptions{}, "not a feed: JSON that is not a JSON Feed", gofeed.ErrFeedTypeNotDetected, 0},
		{"empty", []byte(" \n"), FeedOptions{}, "not a feed: empty body", gofeed.ErrFeedTypeNotDetected, 0},
		{"truncated JSON Feed", []byte("{\"version\": \"https://jsonfeed.org/version/1.1\",\n\"items\": ["), FeedOptions{},
			"parse error at line 2: unexpected end of JSON input", nil, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Feed(tt.body, tt.opts)
			var pe *ParseError
			if !errors.As(err, &pe) {
				t.Fatalf("err = %v (%T), want a *ParseError", err, err)
			}
			if pe.Reason != tt.want || err.Error() != tt.want {
				t.Errorf("reason = %q, want %q", pe.Reason, tt.want)
			}
			if tt.is != nil && !errors.Is(err, tt.is) {
				t.Errorf("err does not wrap %v", tt.is)
			}
			if len(pe.Feeds) != tt.wantFeeds {
				t.Errorf("feeds = %+v, want %d", pe.Feeds, tt.wantFeeds)
			}
		})
	}
}

// TestFeed_Translator: a caller's RSS translator is used, as the poller's
// collects polling hints through it.
func TestFeed_Translator(t *testing.T) {
	tr := &countingTranslator{}
	if _, err := Feed(fixture(t, "feed_blank_decl.rss"), FeedOptions{RSSTranslator: tr}); err != nil {
		t.Fatal(err)
	}
	if tr.n != 1 {
		t.Errorf("translator called %d times, want 1", tr.n)
	}
}

type countingTranslator struct {
	n int
}

func (c *countingTranslator) Translate(feed any) (*gofeed.Feed, error) {
	c.n++
	return (&gofeed.DefaultRSSTranslator{}).Translate(feed)
}

func TestRepair(t *testing.T) {
	good := fixture(t, "feed_unix_dcdate.rss")
	if got := Repair(good); !sameBytes(got, good) {
		t.Error("Repair changed a good feed")
	}
	blank := fixture(t, "feed_blank_decl.rss")
	if got := Repair(blank); !sameBytes(got, blank) {
		t.Error("Repair changed a feed with only white space before its declaration")
	}
	page := fixture(t, "home_nofeed.html")
	if got := Repair(page); !sameBytes(got, page) {
		t.Error("Repair changed an HTML page holding no feed")
	}
	got := string(Repair(fixture(t, "feed_in_xhtml.xhtml")))
	const wantStart = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns=\"http://www.w3.org/2005/Atom\">"
	if len(got) < len(wantStart) || got[:len(wantStart)] != wantStart || got[len(got)-len("</feed>"):] != "</feed>" {
		t.Errorf("Repair =\n%s", got)
	}
}

// FuzzRepair: Repair never panics, and returns its input or something no
// longer than the input plus the declarations it adds.
func FuzzRepair(f *testing.F) {
	f.Add(fixture(f, "feed_in_xhtml.xhtml"))
	f.Add(fixture(f, "feed_in_xhtml_prefixed.xhtml"))
	f.Add(fixture(f, "feed_junk_decl.rss"))
	f.Fuzz(func(t *testing.T, body []byte) {
		_ = Repair(body)
		_, _ = Feed(body, FeedOptions{})
	})
}
