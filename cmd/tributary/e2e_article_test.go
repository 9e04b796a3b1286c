package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDaemon_articlePages: a list page whose articles are fetched
// (content.fetch), in a section with link_to: portal, is published with
// every output linking to the entries' article pages on the portal, the
// originals kept beside; each article page shows the fetched article, its
// source and date, and links the original. Entries without an author are
// credited to the source; JSON Feed dates carry +08:00.
func TestDaemon_articlePages(t *testing.T) {
	site := newListSite(t)
	u := site.srv.URL
	site.file("/a/list.htm", "text/html", "list_articles.html", map[string]string{"{{VERSION}}": "a"})
	for i := 1; i <= 4; i++ {
		site.file(fmt.Sprintf("/a/info/%d.htm", i), "text/html; charset=utf-8", "article_generic.html", nil)
	}
	site.set("/a/info/5.htm", listPage{status: 404, contentType: "text/plain", body: []byte("gone")})
	// link_to follows the section's sources list, at the section's level.
	sources := fmt.Sprintf(`      - url: %s/a/list.htm
        title: 示例县教育局
        scrape:
          items: ul.list li
          date: span
        content:
          fetch: true
          remove: [".related"]
    link_to: portal
`, u)
	d := startDaemon(t, writeSitesConfig(t, "", 2, sources))
	drainPolls(t, d)
	waitForWithin(t, 60*time.Second, func() bool {
		s := sourceStatuses(t, d)[u+"/a/list.htm"]
		return s.Articles != nil && s.Articles.OK == 4 && s.Articles.Failed == 1
	})

	const portal = "http://feeds.example.test/sections/news/entries/"
	var jf struct {
		Items []struct {
			ID          string `json:"id"`
			URL         string `json:"url"`
			ExternalURL string `json:"external_url"`
			Title       string `json:"title"`
			Published   string `json:"date_published"`
			Authors     []struct {
				Name string `json:"name"`
			} `json:"authors"`
		} `json:"items"`
	}
	_, body := d.get(t, "/sections/news.json", nil)
	if err := json.Unmarshal(body, &jf); err != nil {
		t.Fatalf("news.json: %v", err)
	}
	if len(jf.Items) != 6 {
		t.Fatalf("news.json has %d items, want the list's 6:\n%s", len(jf.Items), body)
	}
	byOriginal := map[string]string{} // original link → portal link
	for _, it := range jf.Items {
		if !strings.HasPrefix(it.URL, portal) || !strings.HasPrefix(it.ExternalURL, u+"/a/") {
			t.Errorf("%s: url %q, external_url %q", it.Title, it.URL, it.ExternalURL)
		}
		byOriginal[it.ExternalURL] = it.URL
		wantAuthor := "校办" // the fetched article's byline
		if strings.HasSuffix(it.ExternalURL, ".pdf") || strings.HasSuffix(it.ExternalURL, "/5.htm") {
			wantAuthor = "示例县教育局" // no article: credited to the source
		}
		if len(it.Authors) != 1 || it.Authors[0].Name != wantAuthor {
			t.Errorf("%s: authors %+v, want %s", it.Title, it.Authors, wantAuthor)
		}
		if !strings.HasSuffix(it.Published, "T00:00:00+08:00") {
			t.Errorf("%s: date_published %q, want midnight in Beijing with its offset", it.Title, it.Published)
		}
	}

	first := u + "/a/info/1.htm"
	article := byOriginal[first]
	t.Run("every output links the article page", func(t *testing.T) {
		for _, tt := range []struct{ path, want string }{
			{"/sections/news.rss", "<link>" + article + "</link>"},
			{"/sections/news.atom", `<link href="` + article + `" rel="alternate" type="text/html"></link>`},
			{"/sections/news.atom", `<link href="` + first + `" rel="via" type="text/html"></link>`},
			{"/api/v1/sections/news/entries", `"url":"` + article + `","external_url":"` + first + `"`},
			{"/sections/news", `href="` + article + `"`},
			{"/embed/news.html", `href="` + article + `"`},
			{"/", `href="` + article + `"`},
		} {
			resp, body := d.get(t, tt.path, nil)
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), tt.want) {
				t.Errorf("%s: status %d, lacks %s:\n%s", tt.path, resp.StatusCode, tt.want, body)
			}
		}
		// The list page's URL is HTML: no rel="self" for it in <source>.
		_, atom := d.get(t, "/sections/news.atom", nil)
		if strings.Contains(string(atom), `href="`+u+`/a/list.htm" rel="self"`) || !strings.Contains(string(atom), `href="`+u+`/a/list.htm" rel="alternate"`) {
			t.Errorf("atom <source> links the list page as self:\n%s", atom)
		}
	})

	t.Run("the article page shows the article", func(t *testing.T) {
		path := strings.TrimPrefix(article, "http://feeds.example.test")
		resp, body := d.get(t, path, nil)
		page := string(body)
		if resp.StatusCode != http.StatusOK || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" {
			t.Fatalf("GET %s: %d %s", path, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		for _, want := range []string{
			"<h1>示例县第一中学举行2026年秋季运动会</h1>",
			`来源：<a href="` + u + `/a/list.htm" rel="noopener">示例县教育局</a>`,
			"作者：校办",
			`>2026-10-17</time>`,
			"秋季运动会在学校田径场隆重开幕",
			u + "/uploads/2026/10/sports-meeting.jpg",
			`<a href="` + first + `" rel="noopener">阅读原文</a>`,
		} {
			if !strings.Contains(page, want) {
				t.Errorf("article page lacks %q:\n%s", want, page)
			}
		}
		for _, junk := range []string{"热门文章", "分享到", "相关文章", "<script"} {
			if strings.Contains(page, junk) {
				t.Errorf("article page has %q", junk)
			}
		}
		resp, _ = d.get(t, path, map[string]string{"If-None-Match": resp.Header.Get("ETag")})
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("conditional GET: %d, want 304", resp.StatusCode)
		}
		if resp, _ := d.get(t, "/sections/news/entries/ffffffffffffffff", nil); resp.StatusCode != http.StatusNotFound {
			t.Errorf("unknown entry: %d, want 404", resp.StatusCode)
		}
	})
}

// sameZonedInstant reports whether the RFC 3339 date got is the instant
// wantUTC (RFC 3339 in UTC) written with the section's offset, as every
// feed writes dates.
func sameZonedInstant(got, wantUTC, offset string) bool {
	t, err := time.Parse(time.RFC3339, got)
	return err == nil && strings.HasSuffix(got, offset) && t.UTC().Format(time.RFC3339) == wantUTC
}
