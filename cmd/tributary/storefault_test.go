package main

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// alphaFourth adds a newer item to alpha.xml.
var alphaFourth = map[string]string{
	"{{TITLE}}": "Alpha 第三条",
	"<description>Alpha news</description>": "<description>Alpha news</description><item><title>Alpha 第四条</title>" +
		"<link>http://alpha.example.edu.cn/news/4.html</link><guid>alpha-4</guid><pubDate>2026-11-25 09:30:00</pubDate></item>",
}

// Redis stopped under a running daemon: feeds already rendered keep being
// served, marked stale with a Warning header (not a 500) once the version
// re-check has failed, a feed never rendered is a 503, /readyz says
// 503, and firings are skipped (no poll lease can be taken), so nothing is
// fetched that could not be stored. Redis back on the same
// address with its data: /readyz is 200 again and the next poll stores
// what the source published meanwhile, with no daemon restart and every
// earlier entry still there.
func TestDaemon_redisOutage(t *testing.T) {
	redis := storetest.StartRestartableRedis(t)
	src := newFixtureSource(t, "alpha.xml", "application/rss+xml", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	cfg := writeConfig(t, t.TempDir(), "redis://"+redis.Addr()+"/0", "@every 1s", src.srv.URL)
	d := startDaemonHooks(t, cfg, daemonHooks{recheck: 100 * time.Millisecond})
	d.waitPolls(t, 1)
	before := feedBody(t, d, "/sections/news.json")
	for _, want := range []string{"Alpha 第三条", "Alpha 第一条"} {
		if !strings.Contains(before, want) {
			t.Fatalf("before the outage the feed lacks %s:\n%s", want, before)
		}
	}

	redis.Stop()
	src.setBody(mustRead(t, "alpha.xml"), alphaFourth)
	waitFor(t, func() bool {
		resp, _ := d.get(t, "/readyz", nil)
		return resp.StatusCode == http.StatusServiceUnavailable
	})
	// The version re-check fails and marks the cached renders stale.
	waitFor(t, func() bool {
		resp, _ := d.get(t, "/sections/news.json", nil)
		return resp.Header.Get("Warning") != ""
	})
	resp, body := d.get(t, "/sections/news.json", nil)
	if resp.StatusCode != http.StatusOK || string(body) != before {
		t.Errorf("during the outage: %d, same body %v; want 200 and the cached feed", resp.StatusCode, string(body) == before)
	}
	if resp, _ := d.get(t, "/sections/news.atom", nil); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("during the outage, a feed never rendered: %d, want 503", resp.StatusCode)
	}

	redis.Start()
	back := time.Now()
	waitFor(t, func() bool {
		resp, _ := d.get(t, "/readyz", nil)
		return resp.StatusCode == http.StatusOK
	})
	waitFor(t, func() bool { return strings.Contains(feedBody(t, d, "/sections/news.json"), "Alpha 第四条") })
	t.Logf("Redis back: the new entry is served %v later", time.Since(back).Round(time.Millisecond))
	after := feedBody(t, d, "/sections/news.json")
	for _, want := range []string{"Alpha 第四条", "Alpha 第三条", "Alpha 第一条"} {
		if !strings.Contains(after, want) {
			t.Errorf("after the outage the feed lacks %s", want)
		}
	}
	if resp, _ := d.get(t, "/sections/news.json", nil); resp.Header.Get("Warning") != "" {
		t.Errorf("after the outage: Warning %q still sent", resp.Header.Get("Warning"))
	}
}

func feedBody(t *testing.T, d *daemon, path string) string {
	t.Helper()
	resp, body := d.get(t, path, nil)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", path, resp.StatusCode, body)
	}
	return string(body)
}
