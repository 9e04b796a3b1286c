package parse

import (
	"reflect"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/doctype"
)

func TestDiscover(t *testing.T) {
	tests := []struct {
		name, file, contentType, pageURL string
		body                             string // used when file is ""
		want                             []Candidate
	}{
		{name: "rss, atom and json feed with base", file: "home_feeds.html", pageURL: "https://www.example.edu.cn/",
			want: []Candidate{
				{URL: "https://news.example.edu.cn/atom.xml", Type: TypeAtom, Title: "示例大学新闻 Atom"},
				{URL: "https://news.example.edu.cn/portal/rss.xml", Type: TypeRSS, Title: "示例大学新闻 RSS"},
				{URL: "https://news.example.edu.cn/portal/tzgg/rss.xml", Type: TypeRSS, Title: "通知公告"},
				{URL: "https://news.example.edu.cn/feed.json", Type: TypeJSON, Title: "JSON Feed"},
			}},
		{name: "advertises nothing", file: "home_nofeed.html", pageURL: "https://www.example.cn/"},
		{name: "relative to the page without base", pageURL: "http://www.example.edu.cn/xwzx/index.htm",
			body: `<html><head><link rel="alternate" type="application/rss+xml" href="rss.xml"></head></html>`,
			want: []Candidate{{URL: "http://www.example.edu.cn/xwzx/rss.xml", Type: TypeRSS}}},
		{name: "json only after feed+json", pageURL: "http://example.cn/",
			body: `<link rel="alternate" type="application/json" href="/feed-v1.json"><link rel="alternate" type="application/feed+json" href="/feed.json">`,
			want: []Candidate{{URL: "http://example.cn/feed.json", Type: TypeJSON}, {URL: "http://example.cn/feed-v1.json", Type: TypeJSON}}},
		{name: "rdf is rss", pageURL: "http://example.cn/",
			body: `<link rel="alternate" type="application/rdf+xml" href="/index.rdf">`,
			want: []Candidate{{URL: "http://example.cn/index.rdf", Type: TypeRSS}}},
		{name: "gbk title from meta", contentType: "text/html", pageURL: "http://example.cn/",
			body: "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=gbk\">" +
				"<link rel=\"alternate\" type=\"application/rss+xml\" title=\"\xd1\xa7\xd4\xba\xd0\xc2\xce\xc5\" href=\"/rss.xml\"></head></html>",
			want: []Candidate{{URL: "http://example.cn/rss.xml", Type: TypeRSS, Title: "学院新闻"}}},
		{name: "relative href without any base is dropped",
			body: `<link rel="alternate" type="application/rss+xml" href="rss.xml">`},
		{name: "not alternate", pageURL: "http://example.cn/",
			body: `<link rel="feed" type="application/rss+xml" href="/rss.xml">`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			body := []byte(tt.body)
			if tt.file != "" {
				body = fixture(t, tt.file)
			}
			got := Discover(body, tt.contentType, tt.pageURL)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Discover =\n  %+v\nwant\n  %+v", got, tt.want)
			}
		})
	}
}

// FuzzDiscover: any body gives absolute http(s) candidates of known types,
// without repeats, and never a panic.
func FuzzDiscover(f *testing.F) {
	f.Add(fixture(f, "home_feeds.html"), "text/html", "https://www.example.edu.cn/")
	f.Add(fixture(f, "home_nofeed.html"), "", "https://www.example.edu.cn/")
	f.Add([]byte(`<base href="//x"><link rel=alternate type=application/atom+xml href="a">`), "text/html; charset=gbk", "http://h/")
	f.Fuzz(func(t *testing.T, body []byte, contentType, pageURL string) {
		seen := map[string]bool{}
		for _, c := range Discover(body, contentType, pageURL) {
			if seen[c.URL] {
				t.Errorf("repeated %q", c.URL)
			}
			seen[c.URL] = true
			if c.Type != TypeAtom && c.Type != TypeRSS && c.Type != TypeJSON {
				t.Errorf("type %q", c.Type)
			}
			if resolveLink(nil, c.URL) != c.URL {
				t.Errorf("URL %q is not absolute http(s)", c.URL)
			}
		}
		_ = doctype.IsHTML(body, contentType)
	})
}
