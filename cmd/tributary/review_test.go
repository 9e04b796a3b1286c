package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// reviewFeed is a member school's RSS whose items the test changes.
type reviewFeed struct {
	mu    sync.Mutex
	items [][2]string // guid, title
	srv   *httptest.Server
}

func newReviewFeed(t *testing.T, items ...[2]string) *reviewFeed {
	f := &reviewFeed{items: items}
	f.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		f.mu.Lock()
		defer f.mu.Unlock()
		var b strings.Builder
		b.WriteString(`<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>实验中学</title><link>http://school.example.edu.cn/</link><description>x</description>`)
		for i, it := range f.items {
			fmt.Fprintf(&b, "<item><title>%s</title><link>http://school.example.edu.cn/news/%s.html</link><guid>%s</guid><pubDate>2026-11-%02d 09:30:00</pubDate><description>摘要 %s</description></item>",
				it[1], it[0], it[0], 10+i, it[0])
		}
		b.WriteString(`</channel></rss>`)
		w.Header().Set("Content-Type", "application/rss+xml; charset=utf-8")
		_, _ = w.Write([]byte(b.String()))
	}))
	t.Cleanup(f.srv.Close)
	return f
}

func (f *reviewFeed) set(items ...[2]string) {
	f.mu.Lock()
	f.items = items
	f.mu.Unlock()
}

// reviewConfig writes a config of one section with review: true.
func reviewConfig(t *testing.T, redisURL, feedURL, hookURL string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	doc := fmt.Sprintf(`redis:
  url: %q
listen: 127.0.0.1:0
base_url: http://feeds.example.test
storage:
  snapshot: %s
defaults:
  schedule: "@every 1h"
  timezone: Asia/Shanghai
admin:
  token: %s
alerts:
  webhook:
    url: %s
%ssections:
  - id: news
    title: 资讯
    review: true
    sources:
      - url: %s
`, redisURL, filepath.Join(dir, "tributary.snapshot"), adminToken, hookURL, noStaleAlerts, feedURL)
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// reviewOutputs are the public outputs of section news: feeds, page,
// iframe, widget data, JSON API and the site index.
var reviewOutputs = []string{"/sections/news.rss", "/sections/news.atom", "/sections/news.json", "/sections/news",
	"/embed/news.html", "/api/v1/sections/news/entries", "/"}

// reviewShowing returns the outputs of d that show text.
func reviewShowing(t *testing.T, d *daemon, text string) []string {
	t.Helper()
	var out []string
	for _, p := range reviewOutputs {
		resp, body := d.get(t, p, nil)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%s: %d %s", p, resp.StatusCode, body)
		}
		if strings.Contains(string(body), text) {
			out = append(out, p)
		}
	}
	return out
}

// reviewQueue reads section news's review queue through d: title → entry id.
func reviewQueue(t *testing.T, d *daemon) map[string]string {
	t.Helper()
	resp, body := d.admin(t, "GET", "/api/v1/admin/sections/news/review", "Bearer "+adminToken, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("queue: %d %s", resp.StatusCode, body)
	}
	var q struct {
		Pending []struct{ ID, Title string } `json:"pending"`
	}
	if err := json.Unmarshal(body, &q); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range q.Pending {
		out[p.Title] = p.ID
	}
	return out
}

// TestDaemon_review: two daemons on one redis-server serve a section with
// review. New entries are in no output of either until approved; one
// approved through the first appears on the second within the deadline;
// one rejected through the second never comes back, not after a re-poll
// that changed its title nor after a restart. The webhook hears of each
// poll that queued entries once, naming only the new ones.
func TestDaemon_review(t *testing.T) {
	redisURL := "redis://" + storetest.StartRedis(t) + "/0"
	feed := newReviewFeed(t, [2]string{"g1", "校运会开幕"}, [2]string{"g2", "澳门博彩上线"})
	feedURL := feed.srv.URL + "/rss.xml"
	hook := newHookReceiver(t)
	first := startDaemon(t, reviewConfig(t, redisURL, feedURL, hook.srv.URL))
	if res := first.waitPollOf(t, feedURL); res.Err != nil || res.New != 2 {
		t.Fatalf("first poll: %+v", res)
	}
	second := startDaemon(t, reviewConfig(t, redisURL, feedURL, hook.srv.URL))
	for _, d := range []*daemon{first, second} {
		for _, title := range []string{"校运会开幕", "澳门博彩上线"} {
			if got := reviewShowing(t, d, title); len(got) > 0 {
				t.Errorf("%s waits for review but shows in %v", title, got)
			}
		}
	}
	q := reviewQueue(t, second)
	if len(q) != 2 || q["校运会开幕"] == "" || q["澳门博彩上线"] == "" {
		t.Fatalf("queue on the second daemon = %v", q)
	}

	if _, m := second.get(t, "/metrics", nil); metricValue(t, m, `tributary_section_review_pending{section="news"}`) != 2 {
		t.Errorf("the pending gauge is not 2:\n%s", m)
	}
	// The entries' article pages are not found either.
	for _, d := range []*daemon{first, second} {
		for _, eid := range q {
			if resp, _ := d.get(t, "/sections/news/entries/"+eid, nil); resp.StatusCode != http.StatusNotFound {
				t.Errorf("the article page of waiting entry %s: %d, want 404", eid, resp.StatusCode)
			}
		}
	}

	resp, body := first.admin(t, "POST", "/api/v1/admin/sections/news/entries/"+q["校运会开幕"]+"/approve", "Bearer "+adminToken, nil)
	expectStatus(t, "approve", resp, body, http.StatusOK, `"shown": true`)
	waitFor(t, func() bool { return len(reviewShowing(t, second, "校运会开幕")) == len(reviewOutputs) })
	if resp, body := second.get(t, "/sections/news/entries/"+q["校运会开幕"], nil); resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "校运会开幕") {
		t.Errorf("the approved entry's article page on the second daemon: %d", resp.StatusCode)
	}
	resp, body = second.admin(t, "POST", "/api/v1/admin/sections/news/entries/"+q["澳门博彩上线"]+"/reject", "Bearer "+adminToken, nil)
	expectStatus(t, "reject", resp, body, http.StatusOK, `"state": "rejected"`)

	// The source edits the rejected entry's title and publishes another.
	feed.set([2]string{"g1", "校运会开幕"}, [2]string{"g2", "澳门博彩 新网址"}, [2]string{"g3", "期末考试安排"})
	id := ""
	for k := range listAdmin(t, first) {
		id = k
	}
	resp, body = first.admin(t, "POST", "/api/v1/admin/sources/"+id+"/poll", "Bearer "+adminToken, nil)
	expectStatus(t, "poll", resp, body, http.StatusAccepted, id)
	waitFor(t, func() bool { _, ok := reviewQueue(t, second)["期末考试安排"]; return ok })

	second.shutdown(t)
	third := startDaemon(t, reviewConfig(t, redisURL, feedURL, hook.srv.URL))
	// Either instance may take the poll: it is over once its record is
	// in the shared history.
	polls := len(pollHistory(t, third, id))
	resp, body = third.admin(t, "POST", "/api/v1/admin/sources/"+id+"/poll", "Bearer "+adminToken, nil)
	expectStatus(t, "poll after restart", resp, body, http.StatusAccepted, id)
	waitFor(t, func() bool { return len(pollHistory(t, third, id)) > polls })
	for _, d := range []*daemon{first, third} {
		for _, title := range []string{"澳门博彩", "期末考试安排"} {
			if got := reviewShowing(t, d, title); len(got) > 0 {
				t.Errorf("%s shows in %v", title, got)
			}
		}
		if got := reviewShowing(t, d, "校运会开幕"); len(got) != len(reviewOutputs) {
			t.Errorf("the approved entry shows only in %v", got)
		}
	}
	if q := reviewQueue(t, third); len(q) != 1 || q["期末考试安排"] == "" {
		t.Errorf("queue after the restart = %v, want the new entry only", q)
	}

	first.shutdown(t)
	third.shutdown(t)
	var pending []string
	for _, dl := range hook.deliveries() {
		if dl.event != "pending" {
			continue
		}
		p := dl.payload
		var titles []string
		for _, e := range p.Entries {
			titles = append(titles, e.Title)
		}
		pending = append(pending, fmt.Sprintf("%s %s %d %s", p.Section, p.Source.ID, p.Count, strings.Join(titles, ",")))
	}
	want := []string{"news " + id + " 2 校运会开幕,澳门博彩上线", "news " + id + " 1 期末考试安排"}
	if strings.Join(pending, " | ") != strings.Join(want, " | ") {
		t.Errorf("pending alerts %q, want %q", pending, want)
	}
}
