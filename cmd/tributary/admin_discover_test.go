package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// TestDaemon_adminDiscoverPreview drives discover, preview and adding
// sites without feeds through a running daemon's admin API, with the
// token, against a test site on loopback (so allow_private is on), then
// checks that with allow_private off both refuse a loopback URL.
func TestDaemon_adminDiscoverPreview(t *testing.T) {
	site := newTestSite(t)
	dir := t.TempDir()
	base := writeConfig(t, dir, "", "@every 1h", site.url("/news/feed.xml"))
	d := startDaemon(t, withAdmin(t, base, "admin:\n  token: "+adminToken+"\n  allow_private: true\n"))
	auth := "Bearer " + adminToken
	listRules := map[string]any{"items": "div.list_item", "date": ".Article_PublishDate", "skip": "span.zd"}

	tests := []struct {
		name, path string
		body       any
		code       int
		want       []string
	}{
		{"discover a page", "/api/v1/admin/discover", map[string]any{"url": site.url("/school/")}, 200,
			[]string{`"url": "` + site.url("/news/feed.xml") + `"`, `"type": "rss"`, `"title": "示例中学新闻"`, `"is_feed": false`}},
		{"discover a feed", "/api/v1/admin/discover", map[string]any{"url": site.url("/news/feed.xml")}, 200,
			[]string{`"is_feed": true`}},
		{"discover no feed", "/api/v1/admin/discover", map[string]any{"url": site.url("/nofeed/")}, 200,
			[]string{`"feeds": []`, `"reason": "` + parse.NoFeedReason + "; " + parse.NoListReason + `"`, `"reason_code": "no_list"`, `"lists": []`}},
		{"discover not found", "/api/v1/admin/discover", map[string]any{"url": site.url("/missing")}, 200,
			[]string{`"feeds": []`, `"reason": "HTTP 404 Not Found"`}},
		{"discover bad url", "/api/v1/admin/discover", map[string]any{"url": "javascript:alert(1)"}, 400,
			[]string{`"field":"url"`}},
		{"preview a list page", "/api/v1/admin/preview", map[string]any{"url": site.url("/tzgg/list.htm"), "sections": []string{"news"},
			"scrape": listRules, "content": map[string]any{"fetch": true, "selector": ".wp_articlecontent"}}, 200,
			[]string{`"kind": "list_page"`, `"title": "2026年研究生招生考试报名须知"`, `"published": "2026-10-17T00:00:00+08:00"`,
				`"reason": "matches scrape.skip"`, `"article": {`}},
		{"preview a page with a feed", "/api/v1/admin/preview", map[string]any{"url": site.url("/school/"), "timezone": "Asia/Tokyo"}, 200,
			[]string{`"kind": "discovered_feed"`, `"fetched_url": "` + site.url("/news/feed.xml") + `"`, `"published": "2026-10-17T09:30:00+09:00"`}},
		{"preview a failure", "/api/v1/admin/preview", map[string]any{"url": site.url("/tzgg/list.htm"), "scrape": map[string]any{"items": "ul.none"}}, 200,
			[]string{`"error": "` + parse.NoItemsReason + `"`, `"entries": []`}},
		{"preview bad selector", "/api/v1/admin/preview", map[string]any{"url": site.url("/tzgg/list.htm"), "scrape": map[string]any{"items": "div["}}, 400,
			[]string{`"field":"scrape.items"`}},
		{"preview bad remove", "/api/v1/admin/preview", map[string]any{"url": site.url("/tzgg/list.htm"),
			"content": map[string]any{"fetch": true, "remove": []string{"p:nope"}}}, 400,
			[]string{`"field":"content.remove[0]"`}},
		{"add a page without a feed", "/api/v1/admin/sources", map[string]any{"url": site.url("/nofeed/"), "sections": []string{"news"}}, 400,
			[]string{`"field":"url"`, parse.NoFeedReason}},
		{"add a bad selector", "/api/v1/admin/sources", map[string]any{"url": site.url("/tzgg/list.htm"), "sections": []string{"news"},
			"scrape": map[string]any{"items": "li", "date": "span["}}, 400,
			[]string{`"field":"scrape.date"`}},
		{"add a list page", "/api/v1/admin/sources", map[string]any{"id": "tzgg", "url": site.url("/tzgg/list.htm"), "sections": []string{"news"},
			"scrape": listRules, "content": map[string]any{"fetch": true}}, 201,
			[]string{`"id": "tzgg"`, `"configured_url": "` + site.url("/tzgg/list.htm") + `"`}},
		{"add a page advertising a feed", "/api/v1/admin/sources", map[string]any{"id": "school", "url": site.url("/school/"), "sections": []string{"news"}}, 201,
			[]string{`"configured_url": "` + site.url("/school/") + `"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if resp, body := d.admin(t, "POST", tt.path, "", tt.body); resp.StatusCode != http.StatusUnauthorized {
				t.Errorf("without the token: %d %s", resp.StatusCode, body)
			}
			resp, body := d.admin(t, "POST", tt.path, auth, tt.body)
			expectStatus(t, tt.name, resp, body, tt.code, "")
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("answer lacks %s:\n%s", w, body)
				}
			}
		})
	}

	// The added sources poll as previewed: the list page with its rules,
	// the page through the feed it advertises.
	if r := d.waitPollOf(t, site.url("/tzgg/list.htm")); r.Err != nil || r.New != 2 {
		t.Errorf("poll of the added list page: new=%d err=%v, want the 2 entries the preview showed", r.New, r.Err)
	}
	if r := d.waitPollOf(t, site.url("/school/")); r.Err != nil || r.New != 2 {
		t.Errorf("poll of the added page: new=%d err=%v", r.New, r.Err)
	}

	// The preview's entries are what the CLI prints for the same source.
	resp, body := d.admin(t, "POST", "/api/v1/admin/preview", auth, map[string]any{"url": site.url("/tzgg/list.htm"), "scrape": listRules})
	var p model.Preview
	if err := json.Unmarshal(body, &p); err != nil || resp.StatusCode != 200 {
		t.Fatalf("preview: %d %s (%v)", resp.StatusCode, body, err)
	}
	code, out, _ := runCmd(site, cmdPreview, site.url("/tzgg/list.htm"), "--items", "div.list_item", "--date", ".Article_PublishDate", "--skip", "span.zd")
	if code != exitOK || len(p.Entries) != 2 {
		t.Fatalf("CLI exit %d, API %d entries", code, len(p.Entries))
	}
	for _, e := range p.Entries {
		if !strings.Contains(out, e.Title) || !strings.Contains(out, e.Published.Format("2006-01-02 15:04:05 -0700")) {
			t.Errorf("CLI output lacks %q at %v:\n%s", e.Title, e.Published, out)
		}
	}
	d.shutdown(t)

	// With allow_private off the loopback site is refused before any fetch.
	d = startDaemon(t, withAdmin(t, base, "admin:\n  token: "+adminToken+"\n"))
	before := site.requests.Load()
	for _, path := range []string{"/api/v1/admin/discover", "/api/v1/admin/preview"} {
		resp, body := d.admin(t, "POST", path, auth, map[string]any{"url": site.url("/school/")})
		expectStatus(t, path+" loopback", resp, body, http.StatusBadRequest, "a loopback address")
		if !strings.Contains(string(body), `"field":"url"`) {
			t.Errorf("%s: refusal names no field: %s", path, body)
		}
	}
	// The config's own source is on loopback too and may be polled
	// meanwhile; the admin requests themselves fetched nothing.
	if n := site.requests.Load() - before; n > 1 {
		t.Errorf("the refused requests reached the site (%d requests)", n)
	}
}
