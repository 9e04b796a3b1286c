package preview

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// newSite serves testdata on 127.0.0.1 (the pages the parser's tests
// also read from the parser's testdata, where they live once): a page advertising a relative
// feed, one advertising none, the feed, a list page and its articles,
// and a page advertising a feed that is missing.
func newSite(t *testing.T) *httptest.Server {
	t.Helper()
	routes := map[string]string{
		"/school/":                      "home_relfeed.html",
		"/nofeed/":                      "../../parse/testdata/home_nofeed.html",
		"/news/feed.xml":                "feed.xml",
		"/tzgg/list.htm":                "../../parse/testdata/list_pinned.html",
		"/2026/1017/c1234a201/page.htm": "../../parse/testdata/article_webplus.html",
		"/news/2026/1012.html":          "feed.xml", // an "article" that is no page
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/broken/" {
			w.Header().Set("Content-Type", "text/html")
			w.Write([]byte(`<html><head><link rel="alternate" type="application/atom+xml" href="/gone.atom"></head></html>`))
			return
		}
		file, ok := routes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body, err := os.ReadFile(filepath.Join("testdata", file))
		if err != nil {
			t.Error(err)
		}
		if strings.HasSuffix(file, ".xml") {
			w.Header().Set("Content-Type", "application/rss+xml")
		} else {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
		}
		w.Write(body)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func newPreviewer() *Previewer {
	p := New(fetch.New(fetch.Options{}), normalize.New(normalize.Options{}))
	p.Now = func() time.Time { return time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC) }
	p.TextLen = 20
	return p
}

func TestPreviewer_Preview(t *testing.T) {
	srv := newSite(t)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	source := func(path string) model.Source {
		return model.Source{ID: "s", URL: srv.URL + path, Location: shanghai}
	}
	listRules := &model.Scrape{Items: "div.list_item", Date: ".Article_PublishDate", Skip: "span.zd"}
	tests := []struct {
		name    string
		src     model.Source
		edit    func(*model.Source)
		kind    string
		titles  []string
		skipped []string // reasons
		article string   // start of the article text, or its error
		err     string
	}{
		{name: "feed", src: source("/news/feed.xml"), kind: model.PreviewFeed,
			titles: []string{"秋季运动会圆满落幕", "图书馆延长开放时间"}},
		{name: "page advertising a feed", src: source("/school/"), kind: model.PreviewDiscovered,
			titles: []string{"秋季运动会圆满落幕", "图书馆延长开放时间"}},
		{name: "source filter", src: source("/news/feed.xml"), edit: func(s *model.Source) { s.Exclude = []string{"图书馆"} },
			kind: model.PreviewFeed, titles: []string{"秋季运动会圆满落幕"}, skipped: []string{FilteredReason}},
		{name: "list page with an article", src: source("/tzgg/list.htm"),
			edit: func(s *model.Source) { s.Scrape = listRules; s.Content = &model.Content{Fetch: true} },
			kind: model.PreviewListPage, titles: []string{"2026年研究生招生考试报名须知", "关于开展2026年秋季学期教学检查的通知"},
			skipped: []string{parse.SkipMatched}, article: "10月16日下午，学校在行政楼第一会议…"},
		{name: "article selector matching nothing", src: source("/tzgg/list.htm"),
			edit: func(s *model.Source) {
				s.Scrape = listRules
				s.Content = &model.Content{Fetch: true, Selector: "#none"}
			},
			kind: model.PreviewListPage, titles: []string{"2026年研究生招生考试报名须知", "关于开展2026年秋季学期教学检查的通知"},
			skipped: []string{parse.SkipMatched}, article: `content.selector "#none" matched 0 elements: no article found`},
		{name: "article that is no HTML page", src: source("/news/feed.xml"), edit: func(s *model.Source) { s.Content = &model.Content{Fetch: true} },
			kind: model.PreviewFeed, titles: []string{"秋季运动会圆满落幕", "图书馆延长开放时间"},
			article: "not an HTML page (application/rss+xml)"},
		{name: "items matching nothing", src: source("/tzgg/list.htm"), edit: func(s *model.Source) { s.Scrape = &model.Scrape{Items: "ul.none"} },
			kind: model.PreviewListPage, err: parse.NoItemsReason},
		{name: "page advertising none", src: source("/nofeed/"), kind: model.PreviewListPage, err: parse.NoFeedReason + "; " + parse.NoListReason},
		{name: "advertised feed missing", src: source("/broken/"), kind: model.PreviewDiscovered,
			err: "advertised feed " + srv.URL + "/gone.atom: HTTP 404 Not Found"},
		{name: "not found", src: source("/missing"), err: "HTTP 404 Not Found"},
		{name: "restricted", src: source("/news/feed.xml"), edit: func(s *model.Source) { s.Restricted = true },
			err: "refused to connect to 127.0.0.1: loopback address"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := tt.src
			if tt.edit != nil {
				tt.edit(&src)
			}
			p, err := newPreviewer().Preview(context.Background(), src)
			if (err != nil) != (tt.err != "") || p.Error != tt.err {
				t.Fatalf("err = %v, Error = %q; want %q", err, p.Error, tt.err)
			}
			if p.Kind != tt.kind {
				t.Errorf("kind = %q, want %q", p.Kind, tt.kind)
			}
			var titles, skipped []string
			for _, e := range p.Entries {
				titles = append(titles, e.Title)
			}
			for _, s := range p.Skipped {
				skipped = append(skipped, s.Reason)
			}
			if strings.Join(titles, "|") != strings.Join(tt.titles, "|") || strings.Join(skipped, "|") != strings.Join(tt.skipped, "|") {
				t.Errorf("entries %q, skipped %q; want %q, %q", titles, skipped, tt.titles, tt.skipped)
			}
			switch a := p.Article; {
			case tt.article == "" && a != nil:
				t.Errorf("article fetched: %+v", a)
			case tt.article != "" && (a == nil || a.Text != tt.article && a.Error != tt.article):
				t.Errorf("article = %+v, want %q", a, tt.article)
			case a != nil && a.Error == "" && (p.Entries[0].ContentLength != a.ContentLength || a.ContentLength == 0):
				t.Errorf("the first entry's content is %d bytes, the article's %d", p.Entries[0].ContentLength, a.ContentLength)
			}
		})
	}
}

// TestPreviewer_PreviewEntry: dates are shown in the source's zone, an
// undated item says so, links are as stored (tracking parameters gone).
func TestPreviewer_PreviewEntry(t *testing.T) {
	srv := newSite(t)
	taipei, err := time.LoadLocation("Asia/Taipei")
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPreviewer().Preview(context.Background(), model.Source{ID: "s", URL: srv.URL + "/news/feed.xml", Location: taipei})
	if err != nil {
		t.Fatal(err)
	}
	first, second := p.Entries[0], p.Entries[1]
	if first.Published == nil || first.Published.Format(time.RFC3339) != "2026-10-17T09:30:00+08:00" || first.Published.Location() != taipei {
		t.Errorf("first published = %v", first.Published)
	}
	if second.Published != nil || !second.NoDate || second.Link != srv.URL+"/news/2026/1012.html" {
		t.Errorf("second = %+v", second)
	}
	if p.Title != "示例中学新闻" || p.Status != 200 || p.FetchedURL != srv.URL+"/news/feed.xml" || p.Bytes == 0 {
		t.Errorf("preview header = %+v", p)
	}
}

func TestPreviewer_Discover(t *testing.T) {
	srv := newSite(t)
	tests := []struct {
		name, path string
		restricted bool
		feeds      []model.FeedLink
		isFeed     bool
		reason     string
		fetchErr   error
	}{
		{name: "page", path: "/school/", feeds: []model.FeedLink{{URL: srv.URL + "/news/feed.xml", Type: "rss", Title: "示例中学新闻"}}},
		{name: "feed", path: "/news/feed.xml", isFeed: true, feeds: []model.FeedLink{{URL: srv.URL + "/news/feed.xml", Type: "rss", Title: "示例中学新闻"}}},
		{name: "no feed", path: "/nofeed/", reason: parse.NoFeedReason + "; " + parse.NoListReason, feeds: []model.FeedLink{}},
		{name: "not found", path: "/missing", reason: "HTTP 404 Not Found", feeds: []model.FeedLink{}, fetchErr: &fetch.StatusError{}},
		{name: "restricted", path: "/school/", restricted: true, reason: "refused to connect to 127.0.0.1: loopback address",
			feeds: []model.FeedLink{}, fetchErr: fetch.ErrForbiddenAddress},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := newPreviewer().Discover(context.Background(), srv.URL+tt.path, tt.restricted)
			switch target := tt.fetchErr.(type) {
			case nil:
				if err != nil {
					t.Fatalf("err = %v", err)
				}
			case *fetch.StatusError:
				if !errors.As(err, &target) {
					t.Fatalf("err = %v, want a status error", err)
				}
			default:
				if !errors.Is(err, tt.fetchErr) {
					t.Fatalf("err = %v, want %v", err, tt.fetchErr)
				}
			}
			if d.IsFeed != tt.isFeed || d.Reason != tt.reason || len(d.Feeds) != len(tt.feeds) {
				t.Fatalf("Discover = %+v", d)
			}
			for i := range d.Feeds {
				if d.Feeds[i] != tt.feeds[i] {
					t.Errorf("feed %d = %+v, want %+v", i, d.Feeds[i], tt.feeds[i])
				}
			}
		})
	}
}

// TestNewestLinked: the article a preview fetches is the one a poll
// fetches first, the newest entry's with a link, unless it is a document.
func TestNewestLinked(t *testing.T) {
	at := func(day int) time.Time { return time.Date(2026, 10, day, 0, 0, 0, 0, time.UTC) }
	entries := []model.Entry{
		{Link: "", Published: at(20)},
		{Link: "https://x.example/a.htm", Published: at(10)},
		{Link: "https://x.example/b.htm", Published: at(17)},
		{Link: "https://x.example/c.htm", Published: at(17)},
	}
	if got := newestLinked(entries); got != 2 {
		t.Errorf("newestLinked = %d, want 2", got)
	}
	if got := newestLinked(entries[:1]); got != -1 {
		t.Errorf("no links: %d", got)
	}
	for link, want := range map[string]string{
		"https://x.example/files/通知.PDF": "pdf", "https://x.example/a.docx?x=1": "docx",
		"https://x.example/a.htm": "", "https://x.example/pdf": "",
	} {
		if got := parse.DocumentExt(link); got != want {
			t.Errorf("parse.DocumentExt(%s) = %q, want %q", link, got, want)
		}
	}
}

// TestPreviewer_allSkipped: a list page whose items are all skipped is a
// preview of nothing, not an error, and still names the source.
func TestPreviewer_allSkipped(t *testing.T) {
	srv := newSite(t)
	src := model.Source{ID: "s", URL: srv.URL + "/tzgg/list.htm", Title: "通知公告（校办）", Location: time.UTC,
		Scrape: &model.Scrape{Items: "div.list_item", Skip: "a"}}
	p, err := newPreviewer().Preview(context.Background(), src)
	if err != nil || len(p.Entries) != 0 || len(p.Skipped) != 3 || p.Title != "通知公告（校办）" {
		t.Errorf("Preview = %+v, %v", p, err)
	}
}
