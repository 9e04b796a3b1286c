package publish

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// TestServer_StatusSitesWithoutFeeds: a page resolved to its advertised
// feed, a list page with items skipped and the article counts show on
// /status and in /api/v1/sources.
func TestServer_StatusSitesWithoutFeeds(t *testing.T) {
	list := []model.SourceStatus{
		{ID: "home", Title: "Home", ConfiguredURL: "https://a.example/", EffectiveURL: "https://a.example/rss.xml", Discovered: true,
			LastAttempt: statusT0, LastSuccess: statusT0, LastStatus: 200},
		{ID: "list", Title: "List", ConfiguredURL: "https://b.example/xxyw.htm", Skipped: 2, LastAttempt: statusT0, LastStatus: 200,
			Articles: &model.ArticleStatus{OK: 18, Failed: 2, LastError: "HTTP 404 Not Found"}},
	}
	ts := newHTTPTest(t, newStatusServer(t, &fakeStatus{list: list}))
	_, body := get(t, ts, "/status")
	for _, want := range []string{
		`→ <span class="url">https://a.example/rss.xml</span> (the feed the page advertises)`,
		"2 list items without a link skipped",
		"articles: 18 ok, 2 failed: HTTP 404 Not Found",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("/status lacks %q", want)
		}
	}
	_, body = get(t, ts, "/api/v1/sources")
	var got struct {
		Sources []json.RawMessage `json:"sources"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	all := string(got.Sources[0]) + string(got.Sources[1])
	for _, want := range []string{
		`"effective_url":"https://a.example/rss.xml"`, `"discovered":true`, `"skipped":2`,
		`"articles":{"ok":18,"failed":2,"pending":0,"last_error":"HTTP 404 Not Found"}`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("/api/v1/sources lacks %s: %s", want, all)
		}
	}
}
