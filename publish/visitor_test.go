package publish

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/publish/i18n"
)

// midnightShanghai is 2026-11-17 00:00 in Asia/Shanghai: 16 November in
// UTC and in America/Los_Angeles, so any surface formatting in a zone
// other than the section's shows the wrong day.
var midnightShanghai = time.Date(2026, 11, 16, 16, 0, 0, 0, time.UTC)

// sizedReader adds entry counts (the store's SectionSizes) to fakeReader.
type sizedReader struct {
	*fakeReader
	calls atomic.Int64
}

func (r *sizedReader) SectionSizes(_ context.Context, ids []string) (map[string]int64, error) {
	r.calls.Add(1)
	out := map[string]int64{}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return nil, r.err
	}
	for _, id := range ids {
		out[id] = int64(len(r.entries[id]))
	}
	return out, nil
}

// visitorFixture is the news fixture in Asia/Shanghai with seven entries:
// the newest at midnightShanghai, the oldest in 2025.
func visitorFixture(t *testing.T) fixture {
	t.Helper()
	fx := loadFixture(t)
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	fx.Section.Location = loc
	base := fx.Entries
	fx.Entries = nil
	for i := range 7 {
		e := base[i%len(base)]
		e.ID = fmt.Sprintf("%s%02d", e.ID[:14], i)
		e.Title = fmt.Sprintf("标题%d %s", i, e.Title)
		e.Published = midnightShanghai.AddDate(0, -i, 0)
		if i == 6 {
			e.Published = time.Date(2025, 3, 1, 2, 0, 0, 0, time.UTC)
		}
		e.Updated = e.Published
		fx.Entries = append(fx.Entries, e)
	}
	return fx
}

func newVisitorServer(t *testing.T, fx fixture, opts Options) (*httptest.Server, *sizedReader) {
	t.Helper()
	r := &sizedReader{fakeReader: newFakeReader(fx)}
	opts.BaseURL = testBaseURL
	opts.Sections = []model.Section{fx.Section}
	ts := httptest.NewServer(NewServer(r, opts))
	t.Cleanup(ts.Close)
	return ts, r
}

func TestDates_EverySurface(t *testing.T) {
	fx := visitorFixture(t)
	// The server's default zone is UTC: the section's zone must win.
	ts, _ := newVisitorServer(t, fx, Options{Location: time.UTC})
	tests := []struct {
		name, path string
		want       []string
	}{
		{"page zh", "/sections/news", []string{`<time datetime="2026-11-17T00:00:00&#43;08:00">2026-11-17</time>`}},
		{"page en", "/sections/news?lang=en", []string{`>2026-11-17</time>`}},
		{"iframe", "/embed/news.html", []string{`<time class="trib-date" datetime="2026-11-17T00:00:00&#43;08:00">2026-11-17</time>`}},
		{"widget data", "/api/v1/sections/news/entries", []string{`"date_published":"2026-11-17T00:00:00+08:00"`, `"display_date":"2026-11-17"`, `"timezone":"Asia/Shanghai"`}},
		{"index", "/", []string{`<time datetime="2026-11-17T00:00:00&#43;08:00">2026-11-17</time>`}},
		{"rss", "/sections/news.rss", []string{"<pubDate>Tue, 17 Nov 2026 00:00:00 +0800</pubDate>"}},
		{"atom", "/sections/news.atom", []string{"<published>2026-11-17T00:00:00+08:00</published>"}},
		{"last year keeps its year", "/sections/news", []string{`>2025-03-01</time>`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, ts, tt.path)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("lacks %s", w)
				}
			}
			for _, bad := range []string{"2026-11-16", "11月17日", "16 Nov 2026"} {
				if strings.Contains(string(body), bad) {
					t.Errorf("shows %q: a date outside the section's zone or without its year", bad)
				}
			}
		})
	}
}

func TestDates_CurrentYearShortForm(t *testing.T) {
	fx := visitorFixture(t)
	var now atomic.Pointer[time.Time]
	dec := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	now.Store(&dec)
	ts, _ := newVisitorServer(t, fx, Options{
		DateFormat: "2006年1月2日", DateFormatCurrentYear: "01-02 15:04",
		Now: func() time.Time { return *now.Load() },
	})
	tests := []struct {
		name, path string
		want, not  []string
	}{
		{"page", "/sections/news", []string{">11-17 00:00<", ">2025年3月1日<"}, []string{">2026年11月17日<"}},
		{"iframe", "/embed/news.html", []string{">11-17 00:00<", ">2025年3月1日<"}, nil},
		{"widget data", "/api/v1/sections/news/entries", []string{`"display_date":"11-17 00:00"`, `"display_date":"2025年3月1日"`}, nil},
		{"index", "/", []string{">11-17 00:00<"}, nil},
	}
	check := func(t *testing.T, path string, want, not []string) {
		t.Helper()
		_, body := get(t, ts, path)
		for _, w := range want {
			if !strings.Contains(string(body), w) {
				t.Errorf("%s lacks %s", path, w)
			}
		}
		for _, w := range not {
			if strings.Contains(string(body), w) {
				t.Errorf("%s has %s", path, w)
			}
		}
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { check(t, tt.path, tt.want, tt.not) })
	}
	// A year later the cached renders of 2026 no longer apply: the same
	// entries show their year.
	next := time.Date(2027, 1, 2, 0, 0, 0, 0, time.UTC)
	now.Store(&next)
	t.Run("next year", func(t *testing.T) {
		check(t, "/sections/news", []string{">2026年11月17日<"}, []string{">11-17 00:00<"})
		check(t, "/api/v1/sections/news/entries", []string{`"display_date":"2026年11月17日"`}, nil)
	})
}

func TestPages_LangParam(t *testing.T) {
	fx := visitorFixture(t)
	ts, _ := newVisitorServer(t, fx, Options{UILang: i18n.ZH})
	html := map[string]string{"Accept": "text/html,application/xhtml+xml;q=0.9"}
	tests := []struct {
		name, path string
		code       int
		want, not  []string
	}{
		{"index en", "/?lang=en", 200, []string{`<html lang="en">`, "More »", "7 entries", `href="/sections/news?lang=en"`}, []string{"全部栏目", "更多"}},
		{"index zh", "/?lang=zh", 200, []string{`<html lang="zh-CN">`, "更多 »", "共 7 条"}, nil},
		{"index default", "/", 200, []string{`<html lang="zh-CN">`, `href="/sections/news"`}, []string{"?lang="}},
		{"section en", "/sections/news?lang=en&limit=2", 200, []string{`<html lang="en">`, "All sections", `href="/?lang=en"`, "Older →", "lang=en"}, []string{"全部栏目"}},
		{"embed en", "/embed/news.html?lang=en", 200, []string{`<html lang="en"`, ">More »</a>", `href="https://feeds.example.org/sections/news?lang=en"`}, []string{"更多"}},
		{"404 en", "/nope?lang=en", 404, []string{`<html lang="en">`, "Page not found", "Back to all sections"}, []string{"页面不存在"}},
		{"404 zh", "/nope", 404, []string{`<html lang="zh-CN">`, "页面不存在", "返回全部栏目"}, nil},
		{"unknown section en", "/sections/sports?lang=en", 404, []string{"Page not found", `unknown section &#34;sports&#34;`}, nil},
		{"bad lang", "/sections/news?lang=fr", 400, []string{"请求有误", `invalid query parameter &#34;lang&#34;`}, nil},
		{"bad lang on index", "/?lang=fr", 400, []string{"请求有误"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, ts, http.MethodGet, tt.path, html)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.code, body)
			}
			if ct := resp.Header.Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("lacks %s", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(string(body), w) {
					t.Errorf("has %s", w)
				}
			}
		})
	}
}

func TestErrorPages_PlainForMachines(t *testing.T) {
	fx := visitorFixture(t)
	ts, r := newVisitorServer(t, fx, Options{})
	html := map[string]string{"Accept": "text/html"}
	tests := []struct {
		name, path string
		hdr        map[string]string
		code       int
		body       string // exact plain body; empty means an HTML page
	}{
		{"feed of unknown section", "/sections/sports.rss", html, 404, `unknown section "sports"`},
		{"api", "/api/v1/sections/sports/entries", html, 404, `unknown section "sports"`},
		{"api route", "/api/v1/nope", html, 405, "Method Not Allowed"},
		{"widget script", "/embed/sports.js", html, 404, `unknown embed "sports.js"`},
		{"page without Accept", "/nope", nil, 404, "404 page not found"},
		{"page for a browser", "/nope", html, 404, ""},
		{"unknown section page", "/sections/sports", html, 404, ""},
		{"iframe of unknown section", "/embed/sports.html", html, 404, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, ts, http.MethodGet, tt.path, tt.hdr)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.code)
			}
			if tt.body == "" {
				if !strings.Contains(string(body), "<!DOCTYPE html>") || resp.Header.Get("Cache-Control") != "no-store" {
					t.Errorf("not an uncached HTML page (%s): %s", resp.Header.Get("Cache-Control"), body)
				}
				// The iframe's error page must show inside the host's
				// frame; every other page refuses to be framed.
				csp, framed := resp.Header.Get("Content-Security-Policy"), strings.HasPrefix(tt.path, "/embed/")
				if strings.Contains(csp, "frame-ancestors *") != framed || strings.Contains(csp, "frame-ancestors 'none'") == framed {
					t.Errorf("CSP %q (framed: %v)", csp, framed)
				}
				return
			}
			if got := strings.TrimSpace(string(body)); got != tt.body {
				t.Errorf("body %q, want %q", got, tt.body)
			}
		})
	}
	t.Run("store down", func(t *testing.T) {
		r.setErr(errStoreDown)
		resp, body := fetch(t, ts, http.MethodGet, "/sections/news?lang=en", html)
		if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "Temporarily unavailable") {
			t.Errorf("status %d: %s", resp.StatusCode, body)
		}
		// The index still lists the section, without headlines.
		resp, body = fetch(t, ts, http.MethodGet, "/", html)
		if resp.StatusCode != 200 || !strings.Contains(string(body), `<a href="/sections/news">资讯</a>`) {
			t.Errorf("index with the store down: %d: %s", resp.StatusCode, body)
		}
	})
	t.Run("methods keep their answers", func(t *testing.T) {
		if resp, _ := fetch(t, ts, http.MethodPost, "/sections/news", html); resp.StatusCode != http.StatusMethodNotAllowed {
			t.Errorf("POST a page: %d, want 405", resp.StatusCode)
		}
	})
}

func TestIndex_HeadlinesAndCounts(t *testing.T) {
	fx := visitorFixture(t)
	ts, r := newVisitorServer(t, fx, Options{})
	_, body := get(t, ts, "/")
	page := string(body)
	for i := range 7 {
		shown := strings.Contains(page, fmt.Sprintf(">标题%d ", i))
		if shown != (i < indexHeadlines) {
			t.Errorf("headline %d shown: %v (the newest %d only)", i, shown, indexHeadlines)
		}
	}
	for _, w := range []string{`<p class="count">共 7 条</p>`, `<a href="https://example.edu.cn/news/1017.html">标题0 新图书馆正式开放 &lt;启用仪式&gt;</a>`} {
		if !strings.Contains(page, w) {
			t.Errorf("index lacks %s", w)
		}
	}
	// The headlines are cached like any render: a second index reads
	// neither the version, the entries nor the count again.
	meta, entries, sizes := r.metaCalls.Load(), r.entriesCalls.Load(), r.calls.Load()
	get(t, ts, "/")
	if r.metaCalls.Load() != meta || r.entriesCalls.Load() != entries || r.calls.Load() != sizes {
		t.Errorf("a second index read the store: meta %d→%d, entries %d→%d, counts %d→%d",
			meta, r.metaCalls.Load(), entries, r.entriesCalls.Load(), sizes, r.calls.Load())
	}
	// A reader that cannot count: headlines without a count.
	plain := newOptsServer(t, fx, Options{})
	if _, body := get(t, plain, "/"); strings.Contains(string(body), `class="count"`) || !strings.Contains(string(body), ">标题0 ") {
		t.Errorf("index without a counting reader:\n%s", body)
	}
}

func TestSite_Identity(t *testing.T) {
	fx := visitorFixture(t)
	hostile := `<script>alert(1)</script>"'&`
	ts, _ := newVisitorServer(t, fx, Options{Site: Site{
		Title:      "示例大学新闻网" + hostile,
		Logo:       "https://www.example.edu.cn/logo.png",
		CSS:        "https://cdn.example.edu.cn/site.css",
		FooterText: "© 示例大学 " + hostile,
		FooterLinks: []SiteLink{
			{Text: "京ICP备12345678号", URL: "https://beian.miit.gov.cn/"},
			{Text: "bad" + hostile, URL: "javascript:alert(1)"},
		},
	}})
	html := map[string]string{"Accept": "text/html"}
	for _, path := range []string{"/", "/sections/news", "/nope"} {
		t.Run(path, func(t *testing.T) {
			resp, body := fetch(t, ts, http.MethodGet, path, html)
			page := string(body)
			for _, w := range []string{
				"示例大学新闻网&lt;script&gt;alert(1)&lt;/script&gt;&#34;&#39;&amp;",
				`<img class="logo" src="https://www.example.edu.cn/logo.png" alt="">`,
				`<link rel="stylesheet" href="https://cdn.example.edu.cn/site.css">`,
				`<p class="footer-text">© 示例大学 &lt;script&gt;`,
				`<a href="https://beian.miit.gov.cn/" rel="noopener">京ICP备12345678号</a>`,
			} {
				if !strings.Contains(page, w) {
					t.Errorf("lacks %s", w)
				}
			}
			if strings.Contains(page, "<script>") || strings.Contains(page, "javascript:") || strings.Contains(page, "bad&lt;") {
				t.Errorf("hostile site text or link got through:\n%s", page)
			}
			if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "style-src 'self' https://cdn.example.edu.cn/site.css;") || strings.Contains(csp, "script-src") {
				t.Errorf("CSP %q", csp)
			}
		})
	}
	// The iframe's error page is framed under the fragment's policy,
	// which has no room for the site's stylesheet: it does not link it.
	if _, body := fetch(t, ts, http.MethodGet, "/embed/sports.html", html); strings.Contains(string(body), "cdn.example.edu.cn") ||
		!strings.Contains(string(body), "示例大学新闻网") {
		t.Errorf("iframe error page:\n%s", body)
	}
	_, body := get(t, ts, "/")
	if !strings.Contains(string(body), "<title>示例大学新闻网&lt;script&gt;") {
		t.Errorf("index title is not the site's:\n%s", body)
	}
	def, _ := newVisitorServer(t, fx, Options{})
	if _, body := get(t, def, "/"); !strings.Contains(string(body), "<title>Tributary</title>") {
		t.Errorf("default title:\n%s", body)
	}
}

func TestCSPSource(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://cdn.example.org/site.css", "https://cdn.example.org/site.css"},
		{"https://cdn.example.org:8443/a/b.css?v=2#x", "https://cdn.example.org:8443/a/b.css"},
		{"https://cdn.example.org", "https://cdn.example.org/"},
		{"https://cdn.example.org/a;b,c.css", "https://cdn.example.org/a%3Bb%2Cc.css"},
		{"javascript:alert(1)", ""},
		{"/site.css", ""},
		{"", ""},
	}
	for _, tt := range tests {
		if got := cspSource(tt.in); got != tt.want {
			t.Errorf("cspSource(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestEmbed_ThemeLinesMore(t *testing.T) {
	fx := visitorFixture(t)
	ts, _ := newVisitorServer(t, fx, Options{})
	tests := []struct {
		name, path string
		code       int
		want       []string
	}{
		{"defaults", "/embed/news.html", 200, []string{`data-theme="light"`, `data-section="news"`, `<ul class="trib-list" lang="zh-CN">`,
			`<p class="trib-more"><a href="https://feeds.example.org/sections/news" rel="noopener">更多 »</a></p>`, `<script src="/static/embed-frame.js" defer></script>`}},
		{"dark one line", "/embed/news.html?theme=dark&lines=1", 200, []string{`data-theme="dark"`, `class="trib-list trib-lines-1"`}},
		{"auto", "/embed/news.html?theme=auto", 200, []string{`data-theme="auto"`}},
		{"bad theme", "/embed/news.html?theme=pink", 400, []string{`invalid query parameter "theme"`}},
		{"bad lines", "/embed/news.html?lines=3", 400, []string{`invalid query parameter "lines"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := get(t, ts, tt.path)
			if resp.StatusCode != tt.code {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("lacks %s\n%s", w, body)
				}
			}
			if tt.code == 200 {
				if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe-inline") {
					t.Errorf("CSP %q", csp)
				}
			}
		})
	}
	resp, body := get(t, ts, "/static/embed-frame.js")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/javascript; charset=utf-8" || !strings.Contains(string(body), "tributary:height") {
		t.Errorf("frame script: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
}

func TestFeeds_Stylesheet(t *testing.T) {
	fx := visitorFixture(t)
	ts, _ := newVisitorServer(t, fx, Options{})
	const pi = `<?xml version="1.0" encoding="UTF-8"?>` + "\n" + `<?xml-stylesheet type="text/xsl" href="/static/feed.xsl"?>` + "\n"
	for _, path := range []string{"/sections/news.rss", "/sections/news.atom"} {
		_, body := get(t, ts, path)
		if !strings.HasPrefix(string(body), pi) {
			t.Errorf("%s does not start with the stylesheet instruction:\n%.200s", path, body)
		}
	}
	if _, body := get(t, ts, "/sections/news.json"); strings.Contains(string(body), "xml-stylesheet") {
		t.Error("JSON Feed names a stylesheet")
	}
	resp, xsl := get(t, ts, "/static/feed.xsl")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/xsl; charset=utf-8" {
		t.Fatalf("feed.xsl: %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	xsltproc, err := exec.LookPath("xsltproc")
	if err != nil {
		t.Skip("xsltproc not installed (apt-get install xsltproc)")
	}
	dir := t.TempDir()
	sheet := filepath.Join(dir, "feed.xsl")
	if err := os.WriteFile(sheet, xsl, 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path string
		want []string
	}{
		{"/sections/news.rss", []string{"把本页地址复制到阅读器", "<title>资讯</title>", `<a href="https://example.edu.cn/news/1017.html">标题0 新图书馆正式开放 &lt;启用仪式&gt;</a>`,
			"<time>2026-11-17</time>", "<time>2025-03-01</time>", "<code>https://feeds.example.org/sections/news.rss</code>", `href="../static/style.css"`}},
		{"/sections/news.atom", []string{"把本页地址复制到阅读器", `标题0 新图书馆正式开放 &lt;启用仪式&gt;</a>`, "<time>2026-11-17</time>", "<time>2025-03-01</time>"}},
		{"/sections/news.rss?lang=en", nil},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			_, feed := get(t, ts, tt.path)
			file := filepath.Join(dir, "feed.xml")
			if err := os.WriteFile(file, feed, 0o644); err != nil {
				t.Fatal(err)
			}
			out, err := exec.Command(xsltproc, sheet, file).CombinedOutput()
			if err != nil {
				t.Fatalf("xsltproc: %v\n%s", err, out)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("page lacks %s\n%s", w, out)
				}
			}
			if strings.Contains(string(out), "<启用仪式>") {
				t.Errorf("feed text became markup:\n%s", out)
			}
		})
	}
	t.Run("english feed", func(t *testing.T) {
		en := fx
		en.Section.Language = "en"
		ts := newOptsServer(t, en, Options{})
		_, feed := get(t, ts, "/sections/news.atom")
		file := filepath.Join(dir, "en.xml")
		if err := os.WriteFile(file, feed, 0o644); err != nil {
			t.Fatal(err)
		}
		out, err := exec.Command(xsltproc, sheet, file).CombinedOutput()
		if err != nil || !strings.Contains(string(out), "Copy this page's address into your feed reader") {
			t.Errorf("xsltproc: %v\n%s", err, out)
		}
	})
}

// The widget's data, decoded as a site's script would.
func TestAPI_DisplayDate(t *testing.T) {
	fx := visitorFixture(t)
	ts, _ := newVisitorServer(t, fx, Options{})
	_, body := get(t, ts, "/api/v1/sections/news/entries?limit=1")
	var got struct {
		Section struct{ Timezone string }
		Entries []struct {
			DatePublished time.Time `json:"date_published"`
			DisplayDate   string    `json:"display_date"`
		}
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if got.Section.Timezone != "Asia/Shanghai" || len(got.Entries) != 1 || !got.Entries[0].DatePublished.Equal(midnightShanghai) || got.Entries[0].DisplayDate != "2026-11-17" {
		t.Errorf("%+v", got)
	}
}

// TestIndex_FragmentCostsItsBytes: a section's part of the index is cached
// as its HTML alone, without the gzip copy and header sets of a served
// render, which nothing would ever read.
func TestIndex_FragmentCostsItsBytes(t *testing.T) {
	fx := visitorFixture(t)
	s := NewServer(&sizedReader{fakeReader: newFakeReader(fx)}, Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}})
	s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	var found int
	s.cache.mu.Lock()
	defer s.cache.mu.Unlock()
	for key, e := range s.cache.entries {
		if key.format != formatIndex {
			continue
		}
		found++
		if e.rend.gz.body != nil || e.rend.plain.headers != nil || !strings.Contains(string(e.rend.plain.body), `class="headlines"`) {
			t.Errorf("index fragment holds gzip %d bytes, headers %v; body %q", len(e.rend.gz.body), e.rend.plain.headers, e.rend.plain.body)
		}
	}
	if found != 1 {
		t.Errorf("%d index fragments cached, want 1", found)
	}
}
