package publish

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// The store reads one entry of a section for the article page.
var _ ArticleReader = (*store.Store)(nil)

// SectionEntry finds the entry among the section's, as the store does
// through the section's index: what the section does not hold is
// ErrNoEntry.
func (f *fakeReader) SectionEntry(ctx context.Context, sectionID, entryID string) (model.Entry, error) {
	all, err := f.sectionEntries(ctx, sectionID)
	if err != nil {
		return model.Entry{}, err
	}
	for _, e := range all {
		if e.ID == entryID {
			return e, nil
		}
	}
	return model.Entry{}, fmt.Errorf("fake entry %s of %s: %w", entryID, sectionID, model.ErrNoEntry)
}

// articleFixture is the news fixture in two sections, "news" linking to
// the originals and "portal" (link_to: portal) to the article pages,
// shown in Asia/Shanghai, plus a late-evening entry of another section,
// an entry with a hostile title and one without a link.
func articleFixture(t *testing.T) (fixture, *fakeReader) {
	t.Helper()
	fx := loadFixture(t)
	fx.Section.Location = shanghai(t)
	hostile := model.Entry{
		ID: "0badc0de0badc0de", SourceID: "a1b2c3d4e5f60718", SourceTitle: `示例<b>学院</b>"`,
		SourceLink: "https://example.edu.cn/", SourceURL: "https://example.edu.cn/rss.xml",
		Title: `</title><script>alert(1)</script>`, Link: "https://example.edu.cn/news/x.html?a=1&b=2",
		Author: `<img src=x onerror=alert(2)>`, Summary: `<script>alert(3)</script>`,
		// Midnight in Beijing, the day before in UTC.
		Published: time.Date(2026, 12, 2, 16, 0, 0, 0, time.UTC), FirstSeen: time.Date(2026, 12, 2, 16, 5, 0, 0, time.UTC),
	}
	linkless := model.Entry{
		ID: "1e55c0de1e55c0de", SourceID: "0f1e2d3c4b5a6978", SourceTitle: "物理系",
		SourceURL: "https://phys.example.edu.cn/feed.atom", Title: "无链接的通知", Summary: "通知正文",
		Published: time.Date(2026, 12, 1, 2, 0, 0, 0, time.UTC),
	}
	fx.Entries = append([]model.Entry{hostile, linkless}, fx.Entries...)
	r := newFakeReader(fx)
	portal := fx.Section
	portal.ID, portal.Title, portal.LinkTo = "portal", "门户资讯", model.LinkToPortal
	r.meta[portal.ID] = fx.Meta
	r.entries[portal.ID] = fx.Entries
	r.entries["other"] = []model.Entry{{ID: "07e407e407e407e4", SourceID: "x", Title: "别的栏目", Published: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}}
	return fx, r
}

func newArticleServer(t *testing.T, opts Options) (*fakeReader, *httptest.Server) {
	t.Helper()
	fx, r := articleFixture(t)
	portal := fx.Section
	portal.ID, portal.Title, portal.LinkTo = "portal", "门户资讯", model.LinkToPortal
	other := model.Section{ID: "other", Title: "别的栏目", MaxItems: 10}
	opts.BaseURL = testBaseURL
	opts.Version = "1.2.3"
	opts.Sections = []model.Section{fx.Section, portal, other}
	return r, newHTTPTest(t, NewServer(r, opts))
}

func TestServer_ArticlePage(t *testing.T) {
	_, ts := newArticleServer(t, Options{})
	tests := []struct {
		name, path string
		header     map[string]string
		code       int
		want       []string
		notWant    []string
	}{
		{"fetched content", "/sections/news/entries/5d41402abc4b2a76", nil, 200, []string{
			"<title>新图书馆正式开放 &lt;启用仪式&gt; · 资讯 · ",
			"<h1>新图书馆正式开放 &lt;启用仪式&gt;</h1>",
			`来源：<a href="https://example.edu.cn/" rel="noopener">示例学院</a>`,
			"作者：张三",
			// 08:00 UTC is 16:00 in Beijing, the same day.
			`<time datetime="2025-10-17T16:00:00&#43;08:00">2025-10-17</time>`,
			`<div class="content"><p>新图书馆于10月17日正式开放，藏书<strong>120万册</strong>。</p>`,
			`<a href="https://example.edu.cn/news/1017.html" rel="noopener">阅读原文</a>`,
			`<link rel="canonical" href="https://example.edu.cn/news/1017.html">`,
			`<a href="/sections/news">返回 资讯</a>`,
		}, []string{`class="summary"`}},
		{"summary without content", "/sections/news/entries/7e2c1b9f03aa45d1", nil, 200, []string{
			`<p class="summary">报告人：李四教授。`, `来源：<a href="https://phys.example.edu.cn/" rel="noopener">物理系</a>`,
		}, []string{`class="content"`, "作者："}},
		{"no link of its own", "/sections/portal/entries/1e55c0de1e55c0de", nil, 200, []string{
			"<h1>无链接的通知</h1>", "来源：物理系</span>", `<p class="summary">通知正文</p>`,
		}, []string{"阅读原文", `rel="canonical"`}},
		{"hostile text escaped, date in the section's zone", "/sections/news/entries/0badc0de0badc0de", nil, 200, []string{
			"<h1>&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;</h1>",
			"作者：&lt;img src=x onerror=alert(2)&gt;",
			"&lt;script&gt;alert(3)&lt;/script&gt;",
			"示例&lt;b&gt;学院&lt;/b&gt;&#34;",
			`<time datetime="2026-12-03T00:00:00&#43;08:00">2026-12-03</time>`,
			`href="https://example.edu.cn/news/x.html?a=1&amp;b=2"`,
		}, []string{"<script>", "<img src=x", "<b>学院"}},
		{"English", "/sections/news/entries/5d41402abc4b2a76?lang=en", nil, 200, []string{
			`<html lang="en"`, "Read the original", "Source: ", `<a href="/sections/news?lang=en">Back to 资讯</a>`,
		}, []string{"阅读原文"}},
		{"negotiated English", "/sections/news/entries/5d41402abc4b2a76", map[string]string{"Accept-Language": "en-GB"}, 200,
			[]string{"Read the original", `<a href="/sections/news">Back to`}, nil},
		{"bad lang", "/sections/news/entries/5d41402abc4b2a76?lang=fr", nil, 400, []string{"lang"}, nil},
		{"unknown entry", "/sections/news/entries/ffffffffffffffff", nil, 404, []string{`no entry "ffffffffffffffff" in section "news"`}, nil},
		{"another section's entry", "/sections/news/entries/07e407e407e407e4", nil, 404, []string{"no entry"}, nil},
		{"its own section", "/sections/other/entries/07e407e407e407e4", nil, 200, []string{"<h1>别的栏目</h1>"}, nil},
		{"unknown section", "/sections/nowhere/entries/5d41402abc4b2a76", nil, 404, []string{`unknown section "nowhere"`}, nil},
		{"id not an id", "/sections/news/entries/..%2F..%2Fadmin", nil, 404, []string{"no entry"}, nil},
		{"id too long", "/sections/news/entries/" + strings.Repeat("a", 65), nil, 404, []string{"no entry"}, nil},
		{"browser gets the error page", "/sections/news/entries/ffffffffffffffff", map[string]string{"Accept": "text/html"}, 404,
			[]string{"页面不存在", `no entry &#34;ffffffffffffffff&#34;`}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, ts, http.MethodGet, tt.path, tt.header)
			if resp.StatusCode != tt.code {
				t.Fatalf("GET %s: status %d, want %d: %s", tt.path, resp.StatusCode, tt.code, body)
			}
			page := string(body)
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("GET %s lacks %q:\n%s", tt.path, w, page)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(page, w) {
					t.Errorf("GET %s has %q:\n%s", tt.path, w, page)
				}
			}
			if tt.code == 200 {
				h := resp.Header
				if h.Get("Content-Type") != "text/html; charset=utf-8" || !strings.Contains(h.Get("Content-Security-Policy"), "default-src 'none'") ||
					h.Get("X-Content-Type-Options") != "nosniff" || h.Get("Cache-Control") == "" {
					t.Errorf("GET %s: page headers %v", tt.path, h)
				}
			}
		})
	}
}

// TestServer_ArticleCached: the page is a cached render: validators and
// 304, gzip, no store read on a hit; a change of the section (an entry
// hidden) drops it, and a hidden entry is 404.
func TestServer_ArticleCached(t *testing.T) {
	r, ts := newArticleServer(t, Options{})
	const path = "/sections/news/entries/5d41402abc4b2a76"
	resp, _ := get(t, ts, path)
	etag := resp.Header.Get("ETag")
	if resp.StatusCode != 200 || etag == "" || resp.Header.Get("Last-Modified") == "" {
		t.Fatalf("first GET: %d, ETag %q, Last-Modified %q", resp.StatusCode, etag, resp.Header.Get("Last-Modified"))
	}
	reads := r.entriesCalls.Load()
	resp, body := fetch(t, ts, http.MethodGet, path, map[string]string{"If-None-Match": etag})
	if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
		t.Errorf("conditional GET: %d with %d bytes, want 304", resp.StatusCode, len(body))
	}
	resp, _ = fetch(t, ts, http.MethodGet, path, map[string]string{"Accept-Encoding": "gzip"})
	if resp.Header.Get("Content-Encoding") != "gzip" {
		t.Errorf("gzip: Content-Encoding %q", resp.Header.Get("Content-Encoding"))
	}
	if n := r.entriesCalls.Load(); n != reads {
		t.Errorf("cache hits read the store %d times", n-reads)
	}

	// Hidden: the entry leaves the section, whose version goes up.
	fx := loadFixture(t)
	r.setEntries("news", fx.Entries[1:])
	r.bumpVersion("news")
	ts.Config.Handler.(*Server).Invalidate("news")
	if resp, _ := get(t, ts, path); resp.StatusCode != http.StatusNotFound {
		t.Errorf("hidden entry: status %d, want 404", resp.StatusCode)
	}
}

// TestServer_ArticleStoreDown: a cached page is served stale while the
// store is down; an uncached one is 503.
func TestServer_ArticleStoreDown(t *testing.T) {
	r, ts := newArticleServer(t, Options{})
	const path = "/sections/news/entries/5d41402abc4b2a76"
	if resp, _ := get(t, ts, path); resp.StatusCode != 200 {
		t.Fatalf("first GET: %d", resp.StatusCode)
	}
	r.setErr(errStoreDown)
	ts.Config.Handler.(*Server).Invalidate("news")
	if resp, body := get(t, ts, path); resp.StatusCode != 200 || resp.Header.Get("Warning") == "" || !strings.Contains(string(body), "阅读原文") {
		t.Errorf("stale page: %d, Warning %q", resp.StatusCode, resp.Header.Get("Warning"))
	}
	if resp, body := get(t, ts, "/sections/news/entries/7e2c1b9f03aa45d1"); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("uncached page with the store down: %d %s", resp.StatusCode, body)
	}
}

// TestServer_ArticleTooLarge: content that would take a page past
// max_page_bytes is left out for the summary and the original's link.
func TestServer_ArticleTooLarge(t *testing.T) {
	r, ts := newArticleServer(t, Options{MaxPageBytes: 64 << 10})
	fx, _ := articleFixture(t)
	big := fx.Entries[2]
	big.Content = "<p>" + strings.Repeat("很长的正文。", 20000) + "</p>"
	r.setEntries("news", []model.Entry{big})
	resp, body := get(t, ts, "/sections/news/entries/"+big.ID)
	page := string(body)
	if resp.StatusCode != 200 || len(body) > 64<<10 || strings.Contains(page, "很长的正文") ||
		!strings.Contains(page, "全文篇幅过长") || !strings.Contains(page, "阅读原文") || !strings.Contains(page, big.Summary) {
		t.Errorf("status %d, %d bytes:\n%.2000s", resp.StatusCode, len(body), page)
	}
}
