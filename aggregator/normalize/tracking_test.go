package normalize

import (
	"net/url"
	"strings"
	"testing"
)

func TestTracking_canonical(t *testing.T) {
	tr := newTracking([]string{"sessionid", "Ex_*"})
	tests := []struct{ name, in, want string }{
		{"case, fragment", "HTTPS://WWW.Example.ORG/A/1.html?X=1#frag", "https://www.example.org/A/1.html?X=1"},
		{"plain", "http://example.org/a", "http://example.org/a"},
		{"not web", "ftp://example.org/a", ""},
		{"empty", "", ""},
		{"relative", "/a/b", ""},
		{"default http port", "http://example.org:80/a", "http://example.org/a"},
		{"default https port", "https://example.org:443/a", "https://example.org/a"},
		{"other port kept", "https://example.org:8443/a", "https://example.org:8443/a"},
		{"https port on http kept", "http://example.org:443/a", "http://example.org:443/a"},
		{"empty path", "https://example.org", "https://example.org/"},
		{"utm", "https://news.example.cn/a.htm?utm_source=rss&utm_medium=feed&utm_campaign=x", "https://news.example.cn/a.htm"},
		{"upper-case utm", "https://news.example.cn/a.htm?UTM_Source=rss&id=3", "https://news.example.cn/a.htm?id=3"},
		{"click ids", "https://e.example/p?fbclid=IwAR0&gclid=Cj0&msclkid=1&id=7", "https://e.example/p?id=7"},
		{"alibaba spm", "https://item.taobao.com/item.htm?spm=a230r.1.14.1&id=6123", "https://item.taobao.com/item.htm?id=6123"},
		{"wechat share", "https://mp.weixin.qq.com/s?__biz=MzA5&mid=265&idx=1&sn=ab12&chksm=8b&scene=21&from=timeline&isappinstalled=0#wechat_redirect",
			"https://mp.weixin.qq.com/s?__biz=MzA5&idx=1&mid=265&sn=ab12"},
		{"bilibili", "https://www.bilibili.com/video/BV1xx?spm_id_from=333.1007&vd_source=9f", "https://www.bilibili.com/video/BV1xx"},
		{"share prefix", "https://e.example/a?share_source=weixin&share_medium=iphone&p=2", "https://e.example/a?p=2"},
		{"query sorted", "https://e.example/a?b=2&a=1", "https://e.example/a?a=1&b=2"},
		{"empty parts", "https://e.example/a?&&a=1&", "https://e.example/a?a=1"},
		{"only tracking leaves no ?", "https://e.example/a?utm_source=x", "https://e.example/a"},
		{"configured exact", "https://e.example/a?SessionID=9&a=1", "https://e.example/a?a=1"},
		{"configured prefix", "https://e.example/a?ex_one=1&exa=2", "https://e.example/a?exa=2"},
		{"escaped key", "https://e.example/a?utm%5Fsource=1&x=%E4%B8%AD", "https://e.example/a?x=%E4%B8%AD"},
		{"meaningful ref kept", "https://git.example/x?ref=main", "https://git.example/x?ref=main"},
		{"userinfo dropped", "https://u:p@e.example/a", "https://e.example/a"},
		{"cjk path", "https://e.example/新闻/1.html", "https://e.example/%E6%96%B0%E9%97%BB/1.html"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tr.canonical(tt.in)
			if got != tt.want {
				t.Errorf("canonical(%q) = %q, want %q", tt.in, got, tt.want)
			}
			if again := tr.canonical(got); got != "" && again != got {
				t.Errorf("canonical is not idempotent: %q → %q", got, again)
			}
		})
	}
}

func TestTracking_cleanLink(t *testing.T) {
	tr := newTracking(nil)
	tests := []struct{ name, in, want string }{
		{"no query", "https://e.example/a#top", "https://e.example/a#top"},
		{"tracking removed, order and spelling kept", "https://E.example/A?b=2&utm_source=rss&a=%e4#sec",
			"https://E.example/A?b=2&a=%e4#sec"},
		{"only tracking", "https://e.example/a?utm_source=rss&fbclid=1", "https://e.example/a"},
		{"only tracking with fragment", "https://e.example/a?from=groupmessage#p2", "https://e.example/a#p2"},
		{"question mark in fragment", "https://e.example/a#x?utm_source=1", "https://e.example/a#x?utm_source=1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := tr.cleanLink(tt.in); got != tt.want {
				t.Errorf("cleanLink(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

// FuzzCanonicalLink checks the properties dedup relies on: the canonical
// form is an absolute http(s) URL (or ""), is its own canonical form, has
// no fragment and no tracking parameter left.
func FuzzCanonicalLink(f *testing.F) {
	tr := newTracking(nil)
	f.Fuzz(func(t *testing.T, link string) {
		c := tr.canonical(link)
		if c == "" {
			return
		}
		u, err := url.Parse(c)
		if err != nil || !isWebURL(u) {
			t.Fatalf("canonical(%q) = %q is not an absolute web URL (%v)", link, c, err)
		}
		if strings.Contains(c, "#") {
			t.Fatalf("canonical(%q) = %q keeps a fragment", link, c)
		}
		if again := tr.canonical(c); again != c {
			t.Fatalf("not idempotent: %q → %q → %q", link, c, again)
		}
		for _, part := range strings.Split(u.RawQuery, "&") {
			if part != "" && tr.isTracking(part) {
				t.Fatalf("canonical(%q) = %q keeps tracking part %q", link, c, part)
			}
		}
		// Links reach cleanLink from resolveWeb, with spaces escaped; a raw
		// space before a dropped "?" would become trailing and be trimmed.
		if cl := tr.cleanLink(link); !strings.ContainsAny(link, " \t\r\n\v\f") && tr.canonical(cl) != c {
			t.Fatalf("cleanLink changes identity: %q → %q (%q vs %q)", link, cl, tr.canonical(cl), c)
		}
	})
}
