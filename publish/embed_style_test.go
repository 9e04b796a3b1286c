package publish

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"
)

func TestParseEmbedStyle(t *testing.T) {
	tests := []struct {
		query string
		want  embedStyle
		// bad names the parameter a refusal must name; "" accepts.
		bad string
	}{
		{"", embedStyle{}, ""},
		{"show_source=true", embedStyle{}, ""},
		{"show_source=1", embedStyle{}, ""},
		{"show_source=false", embedStyle{hideSource: true}, ""},
		{"show_source=0", embedStyle{hideSource: true}, ""},
		{"show_source=no", embedStyle{}, "show_source"},
		{"show_source=FALSE", embedStyle{}, "show_source"},
		{"date=full", embedStyle{}, ""},
		{"date=short", embedStyle{date: dateShort}, ""},
		{"date=none", embedStyle{date: dateNone}, ""},
		{"date=", embedStyle{}, ""},
		{"date=long", embedStyle{}, "date"},
		{"more=https://www.example.edu.cn/news/list.htm", embedStyle{more: "https://www.example.edu.cn/news/list.htm"}, ""},
		{"more=http://portal.example.cn:8080/a?b=1%26c", embedStyle{more: "http://portal.example.cn:8080/a?b=1&c"}, ""},
		{"more=HTTPS://EXAMPLE.EDU.CN/x", embedStyle{more: "https://EXAMPLE.EDU.CN/x"}, ""},
		{"more=javascript:alert(1)", embedStyle{}, "more"},
		{"more=JavaScript://example.org/%0Aalert(1)", embedStyle{}, "more"},
		{"more=data:text/html,hi", embedStyle{}, "more"},
		{"more=/news/list.htm", embedStyle{}, "more"},
		{"more=//evil.example/x", embedStyle{}, "more"},
		{"more=ftp://example.org/", embedStyle{}, "more"},
		{"more=https://", embedStyle{}, "more"},
		{"more=", embedStyle{}, "more"},
		{"more=%20https://example.org/", embedStyle{}, "more"},
		{"more=https://example.org/" + strings.Repeat("a", maxMoreBytes), embedStyle{}, "more"},
		{"background=transparent", embedStyle{transparent: true}, ""},
		{"background=white", embedStyle{}, "background"},
		{"background=Transparent", embedStyle{}, "background"},
		{"show_source=false&date=short&more=https://example.org/list&background=transparent",
			embedStyle{hideSource: true, date: dateShort, more: "https://example.org/list", transparent: true}, ""},
		// The first bad parameter is the one named.
		{"show_source=x&date=y", embedStyle{}, "show_source"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			q, err := url.ParseQuery(tt.query)
			if err != nil {
				t.Fatal(err)
			}
			got, err := parseEmbedStyle(q)
			if tt.bad != "" {
				if err == nil || !strings.Contains(err.Error(), `"`+tt.bad+`"`) {
					t.Fatalf("error %v, want one naming %q", err, tt.bad)
				}
				return
			}
			if err != nil {
				t.Fatalf("refused: %v", err)
			}
			if got != tt.want {
				t.Errorf("got %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestServer_EmbedStyle renders the iframe fragment per option: what each
// shows and leaves out, that the defaults are unchanged, that every
// combination gets an ETag of its own, and that a bad value is a 400
// naming its parameter (an HTML error page for a browser, framed).
func TestServer_EmbedStyle(t *testing.T) {
	fx := loadFixture(t)
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Fatal(err)
	}
	// 01:30 in Shanghai on 17 October, still the 16th in UTC: short dates
	// are the section's day, not UTC's.
	fx.Entries[0].Published = time.Date(2025, 10, 16, 17, 30, 0, 0, time.UTC)
	ts := newOptsServer(t, fx, Options{Location: shanghai})
	const more = "https://www.example.edu.cn/xwzx/list.htm?page=1&type=2"
	tests := []struct {
		query      string
		want, not  []string
		sourceSeen int
	}{
		{"", []string{
			`<span class="trib-source">示例学院</span> <time class="trib-date" datetime="2025-10-17T01:30:00&#43;08:00">2025-10-17</time>`,
			`<p class="trib-more"><a href="https://feeds.example.org/sections/news" rel="noopener">更多 »</a></p>`,
			`data-theme="light" data-section="news"`,
		}, []string{`data-background`}, 3},
		{"show_source=false", []string{
			`<span class="trib-meta"><time class="trib-date" datetime="2025-10-17T01:30:00&#43;08:00">2025-10-17</time></span>`,
		}, []string{`trib-source`}, 0},
		{"date=short", []string{
			`<span class="trib-source">示例学院</span> <time class="trib-date" datetime="2025-10-17T01:30:00&#43;08:00">10-17</time>`,
			`>10-16</time>`, `>10-15</time>`,
		}, []string{`>2025-10-17<`}, 3},
		{"date=none", []string{`<span class="trib-meta"><span class="trib-source">示例学院</span></span>`}, []string{`<time`}, 3},
		{"date=none&show_source=false", nil, []string{`<time`, `trib-source`, `trib-meta`}, 0},
		{"more=" + url.QueryEscape(more), []string{
			`<p class="trib-more"><a href="https://www.example.edu.cn/xwzx/list.htm?page=1&amp;type=2" rel="noopener">更多 »</a></p>`,
		}, []string{`href="https://feeds.example.org/sections/news"`}, 3},
		{"background=transparent", []string{`data-theme="light" data-background="transparent" data-section="news"`}, nil, 3},
		{"theme=dark&background=transparent&lang=en", []string{`data-theme="dark" data-background="transparent"`, `>More »</a>`}, nil, 3},
	}
	etags := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, body := get(t, ts, "/embed/news.html?"+tt.query)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("status %d: %s", resp.StatusCode, body)
			}
			page := string(body)
			for _, w := range tt.want {
				if !strings.Contains(page, w) {
					t.Errorf("fragment lacks %q", w)
				}
			}
			for _, w := range tt.not {
				if strings.Contains(page, w) {
					t.Errorf("fragment has %q", w)
				}
			}
			if n := strings.Count(page, `class="trib-source"`); n != tt.sourceSeen {
				t.Errorf("%d source labels, want %d", n, tt.sourceSeen)
			}
			if n := strings.Count(page, `class="trib-item"`); n != 3 {
				t.Errorf("%d items, want 3", n)
			}
			tag := resp.Header.Get("ETag")
			if other, dup := etags[tag]; dup {
				t.Errorf("ETag %s also names ?%s", tag, other)
			}
			etags[tag] = tt.query
			if t.Failed() {
				t.Logf("fragment:\n%s", page)
			}
		})
	}
	for _, tt := range []struct{ query, param string }{
		{"show_source=no", "show_source"},
		{"date=long", "date"},
		{"more=javascript:alert(1)", "more"},
		{"more=/xwzx/list.htm", "more"},
		{"background=white", "background"},
	} {
		t.Run("bad "+tt.query, func(t *testing.T) {
			resp, body := get(t, ts, "/embed/news.html?"+tt.query)
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), `invalid query parameter "`+tt.param+`"`) {
				t.Errorf("status %d, body %q: want 400 naming %q", resp.StatusCode, body, tt.param)
			}
			resp, body = fetch(t, ts, http.MethodGet, "/embed/news.html?"+tt.query, map[string]string{"Accept": "text/html"})
			if resp.StatusCode != http.StatusBadRequest || !strings.Contains(string(body), tt.param) ||
				!strings.Contains(resp.Header.Get("Content-Security-Policy"), "frame-ancestors *") {
				t.Errorf("browser: status %d, CSP %q, want a framable 400 page naming %q:\n%s", resp.StatusCode, resp.Header.Get("Content-Security-Policy"), tt.param, body)
			}
			if strings.Contains(string(body), "javascript:alert") && !strings.Contains(string(body), "javascript:alert(1)") {
				t.Errorf("body mangles the value")
			}
		})
	}
}
