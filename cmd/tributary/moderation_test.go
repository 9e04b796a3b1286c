package main

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// moderationOutputs are every output of section news a subscriber, a
// site or a visitor reads (the widget, /embed/news.js, is a static script
// that reads the API).
var moderationOutputs = []string{
	"/sections/news.rss", "/sections/news.atom", "/sections/news.json", "/sections/news",
	"/embed/news.html", "/api/v1/sections/news/entries",
}

type apiEntryJSON struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	URL    string `json:"url"`
	Pinned bool   `json:"pinned"`
	Source struct {
		ID string `json:"id"`
	} `json:"source"`
}

func apiEntries(t *testing.T, d *daemon, query string) []apiEntryJSON {
	t.Helper()
	resp, body := d.get(t, "/api/v1/sections/news/entries"+query, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("API%s: %d %s", query, resp.StatusCode, body)
	}
	var out struct{ Entries []apiEntryJSON }
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatal(err)
	}
	return out.Entries
}

// showing lists the outputs of d (and the API filtered by source) whose
// body holds link, or the first that could not be read.
func showing(t *testing.T, d *daemon, link, sourceID string) []string {
	t.Helper()
	var out []string
	for _, path := range append(moderationOutputs, "/api/v1/sections/news/entries?source="+sourceID) {
		resp, body := d.get(t, path, nil)
		if resp.StatusCode != http.StatusOK {
			return []string{path + ": HTTP " + resp.Status}
		}
		if strings.Contains(string(body), link) {
			out = append(out, path)
		}
	}
	return out
}

// TestDaemon_moderation: two daemons on one redis-server. An entry hidden
// through one daemon's admin API is gone from every output of the other
// within a second, stays gone across re-polls (with an edit at the
// source) and a restart, and comes back on unhide; a pin shows first on
// the other's page and API.
func TestDaemon_moderation(t *testing.T) {
	addr := storetest.StartRedis(t)
	redisURL := "redis://" + addr + "/0"
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	beta := newFixtureSource(t, "beta.atom", "application/atom+xml", nil)
	urls := []string{alpha.srv.URL + "/feed.xml", beta.srv.URL + "/feed.atom"}
	admin := "admin:\n  token: " + adminToken + "\n"
	a := startDaemon(t, withAdmin(t, writeConfig(t, t.TempDir(), redisURL, "@every 1s", urls...), admin))
	cfgB := withAdmin(t, writeConfig(t, t.TempDir(), redisURL, "@every 1s", urls...), admin)
	b := startDaemon(t, cfgB)
	waitFor(t, func() bool { return len(apiEntries(t, b, "")) == 4 })

	const link = "http://alpha.example.edu.cn/news/3.html"
	var target apiEntryJSON
	for _, e := range apiEntries(t, b, "") {
		if e.URL == link {
			target = e
		}
	}
	if target.ID == "" {
		t.Fatalf("no entry with link %s", link)
	}
	// Every output of b is rendered and cached before the hide, so what
	// follows proves b drops its renders on a's change.
	if got := showing(t, b, link, target.Source.ID); len(got) != len(moderationOutputs)+1 {
		t.Fatalf("before the hide the entry shows on %v, want every output", got)
	}

	entryPath := "/api/v1/admin/sections/news/entries/" + target.ID + "/"
	resp, body := a.admin(t, "POST", entryPath+"hide", "Bearer "+adminToken, nil)
	expectStatus(t, "hide", resp, body, http.StatusOK, `"state": "hidden"`)
	hidden := time.Now()
	waitForWithin(t, time.Second, func() bool { return len(showing(t, b, link, target.Source.ID)) == 0 })
	t.Logf("gone from every output of the other instance %v after the hide's answer", time.Since(hidden).Round(time.Millisecond))

	// An edit at the source and two more polls of it: still hidden, while
	// the stored entry follows the edit.
	alpha.setBody(mustRead(t, "alpha.xml"), map[string]string{"{{TITLE}}": "Alpha 第三条（更新）"})
	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	keys := store.Keys{Prefix: store.DefaultPrefix}
	waitFor(t, func() bool {
		data, err := rdb.Get(context.Background(), keys.Entry(target.ID)).Result()
		return err == nil && strings.Contains(data, "（更新）")
	})
	polled := alpha.requests.Load()
	waitFor(t, func() bool { return alpha.requests.Load() >= polled+2 })
	if got := showing(t, b, link, target.Source.ID); len(got) != 0 {
		t.Errorf("after re-polls of the edited item it shows on %v", got)
	}
	if got := showing(t, a, "Alpha 第三条", target.Source.ID); len(got) != 0 {
		t.Errorf("after re-polls its title shows on %v", got)
	}

	// A restart of b: still hidden.
	b.shutdown(t)
	b = startDaemon(t, cfgB)
	waitFor(t, func() bool { return len(apiEntries(t, b, "")) == 3 })
	if got := showing(t, b, link, target.Source.ID); len(got) != 0 {
		t.Errorf("after a restart it shows on %v", got)
	}

	// Unhide through b: back on a, at its published place (the newest).
	resp, body = b.admin(t, "POST", entryPath+"unhide", "Bearer "+adminToken, nil)
	expectStatus(t, "unhide", resp, body, http.StatusOK, `"state": "visible"`)
	waitForWithin(t, time.Second, func() bool { return len(showing(t, a, link, target.Source.ID)) == len(moderationOutputs)+1 })
	if es := apiEntries(t, a, ""); es[0].ID != target.ID || es[0].Title != "Alpha 第三条（更新）" {
		t.Errorf("after unhide the API starts with %+v, want the edited entry", es[0])
	}

	// Pin the oldest entry through a: first on b's page and API, marked,
	// while the feeds keep date order.
	es := apiEntries(t, b, "")
	oldest := es[len(es)-1]
	resp, body = a.admin(t, "POST", "/api/v1/admin/sections/news/entries/"+oldest.ID+"/pin", "Bearer "+adminToken, map[string]string{"for": "1h"})
	expectStatus(t, "pin", resp, body, http.StatusOK, `"state": "pinned"`)
	waitForWithin(t, time.Second, func() bool {
		es := apiEntries(t, b, "")
		return len(es) == 4 && es[0].ID == oldest.ID && es[0].Pinned && !es[1].Pinned
	})
	_, page := b.get(t, "/sections/news", nil)
	if first := strings.Index(string(page), `<li class="entry`); first < 0 || !strings.HasPrefix(string(page[first:]), `<li class="entry pinned">`) ||
		strings.Index(string(page), oldest.URL) > strings.Index(string(page), link) {
		t.Errorf("the page does not show the pinned entry first:\n%s", page)
	}
	_, rss := b.get(t, "/sections/news.rss", nil)
	if titles := titles(parseFeed(t, rss)); titles[len(titles)-1] != oldest.Title {
		t.Errorf("RSS titles %q: the pinned entry moved, want date order", titles)
	}
	resp, body = a.admin(t, "GET", "/api/v1/admin/sections/news/moderation", "Bearer "+adminToken, nil)
	expectStatus(t, "moderation", resp, body, http.StatusOK, oldest.ID)
}
