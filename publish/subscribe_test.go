package publish

import (
	"html"
	"net/http"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestServer_Subscribe: the subscribe page gives each feed's absolute URL
// as selectable text with a copy button its script reveals, explains feed
// readers in the visitor's language, shows the section's QR code and is
// linked from the section page and the index, keeping ?lang.
func TestServer_Subscribe(t *testing.T) {
	fx := loadFixture(t)
	ts := newOptsServer(t, fx, Options{Site: Site{Title: "滨江教育网"}})
	tests := []struct {
		name string
		path string
		hdr  map[string]string
		want []string
	}{
		{"chinese by default", "/sections/news/subscribe", nil, []string{
			`<html lang="zh-CN">`,
			`<title>订阅「资讯」 · 滨江教育网</title>`,
			`<h1>订阅「资讯」</h1>`,
			`<input id="feed-rss" class="sub-url-input" type="text" readonly value="https://feeds.example.org/sections/news.rss"`,
			`value="https://feeds.example.org/sections/news.atom"`,
			`value="https://feeds.example.org/sections/news.json"`,
			`<button type="button" class="sub-copy-button" data-copy="feed-rss" hidden>复制</button>`,
			`什么是阅读器？`, `手机上的阅读器应用`, `网页版阅读器`,
			`<img class="sub-qr" src="/sections/news/qr.svg" width="200" height="200" alt="本栏目页面的二维码">`,
			`<a href="https://feeds.example.org/sections/news">https://feeds.example.org/sections/news</a>`,
			`<a href="/sections/news.opml" type="text/x-opml">来源列表（OPML）</a>`,
			`<script src="/static/subscribe.js" defer></script>`,
			`<link rel="stylesheet" href="/static/subscribe.css">`,
			`<p class="more"><a href="/sections/news">返回栏目</a></p>`,
		}},
		{"english by Accept-Language", "/sections/news/subscribe", map[string]string{"Accept-Language": "en-GB,en;q=0.9"}, []string{
			`<html lang="en">`, `<h1>Subscribe to 资讯</h1>`, `What is a feed reader?`, `>Copy</button>`,
			`<p class="more"><a href="/sections/news">Back to the section</a></p>`,
		}},
		{"english by ?lang, kept by its links", "/sections/news/subscribe?lang=en", nil, []string{
			`<html lang="en">`, `<a href="/sections/news?lang=en">资讯</a>`, `<a href="/?lang=en">All sections</a>`,
		}},
		{"the section page links to it", "/sections/news", nil, []string{
			`<p class="subscribe-how"><a href="/sections/news/subscribe">订阅方法 · 二维码</a></p>`,
		}},
		{"the section page keeps ?lang", "/sections/news?lang=en", nil, []string{
			`<p class="subscribe-how"><a href="/sections/news/subscribe?lang=en">How to subscribe · QR code</a></p>`,
		}},
		{"the index links to it", "/?lang=zh", nil, []string{
			`<p class="subscribe-how"><a href="/sections/news/subscribe?lang=zh">订阅方法 · 二维码</a></p>`,
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, ts, http.MethodGet, tt.path, tt.hdr)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			page := string(body)
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("page lacks %q", w)
				}
			}
			if t.Failed() {
				t.Logf("page:\n%s", page)
			}
		})
	}
	t.Run("headers", func(t *testing.T) {
		resp, _ := get(t, ts, "/sections/news/subscribe")
		csp := resp.Header.Get("Content-Security-Policy")
		if !strings.Contains(csp, "script-src 'self';") || strings.Contains(csp, "unsafe") || !strings.Contains(csp, "frame-ancestors 'none'") {
			t.Errorf("CSP %q: want our own scripts only, no framing", csp)
		}
		if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
			t.Errorf("Content-Type %q", ct)
		}
		if page, _ := get(t, ts, "/sections/news"); strings.Contains(page.Header.Get("Content-Security-Policy"), "script-src") {
			t.Error("the section page now allows scripts")
		}
		for path, ctype := range map[string]string{
			"/static/subscribe.js":  "text/javascript; charset=utf-8",
			"/static/subscribe.css": "text/css; charset=utf-8",
		} {
			resp, body := get(t, ts, path)
			if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != ctype || len(body) == 0 || resp.Header.Get("ETag") == "" {
				t.Errorf("%s: %d %q, %d bytes, ETag %q", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body), resp.Header.Get("ETag"))
			}
		}
	})
	for _, tt := range []struct {
		path string
		code int
		want string
	}{
		{"/sections/sports/subscribe", http.StatusNotFound, `unknown section "sports"`},
		{"/sections/news/subscribe?lang=fr", http.StatusBadRequest, `invalid query parameter "lang"`},
	} {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := fetch(t, ts, http.MethodGet, tt.path, map[string]string{"Accept": "text/html"})
			if resp.StatusCode != tt.code || !strings.Contains(html.UnescapeString(string(body)), tt.want) {
				t.Errorf("status %d, want %d with %q:\n%s", resp.StatusCode, tt.code, tt.want, body)
			}
		})
	}
}

// TestServer_SubscribeEscapes: a section title is text on the subscribe
// page, however it is written.
func TestServer_SubscribeEscapes(t *testing.T) {
	sec := model.Section{ID: "news", Title: `<script>alert(1)</script>"资讯`}
	ts := newHTTPTest(t, NewServer(newFakeReader(fixture{}), Options{BaseURL: testBaseURL, Sections: []model.Section{sec}}))
	_, body := get(t, ts, "/sections/news/subscribe")
	if strings.Contains(string(body), "<script>alert") {
		t.Errorf("the title is markup:\n%s", body)
	}
	if !strings.Contains(string(body), "&lt;script&gt;alert(1)&lt;/script&gt;") {
		t.Errorf("the title is not shown as text:\n%s", body)
	}
}
