package main

import (
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// Redis restarted empty under a running daemon: the store-reset watcher
// finds its marker key gone and re-polls every source at once, fetched in
// full (the stored validators went with the data), so the section fills
// again with no daemon restart. The schedule is hourly: without the
// watcher nothing would be polled again within the test.
func TestDaemon_redisRestartedEmpty(t *testing.T) {
	redis := storetest.StartRestartableRedis(t)
	src := newFixtureSource(t, "alpha.xml", "application/rss+xml", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	cfg := writeConfig(t, t.TempDir(), "redis://"+redis.Addr()+"/0", "@every 1h", src.srv.URL)
	d := startDaemonHooks(t, cfg, daemonHooks{recheck: 100 * time.Millisecond, resetCheck: 100 * time.Millisecond})
	d.waitPolls(t, 1)
	if body := feedBody(t, d, "/sections/news.json"); !strings.Contains(body, "Alpha 第一条") {
		t.Fatalf("before the reset the feed lacks Alpha 第一条:\n%s", body)
	}
	fetched := src.requests.Load()

	redis.Stop()
	redis.StartEmpty()
	lost := time.Now()
	if r := d.waitPolls(t, 1)[0]; r.Err != nil {
		t.Fatalf("re-poll after the reset: %v", r.Err)
	}
	if got := src.requests.Load(); got <= fetched || src.notModified.Load() != 0 {
		t.Errorf("source requests %d → %d, %d answered 304; want a full fetch after the reset", fetched, got, src.notModified.Load())
	}
	waitFor(t, func() bool {
		body := feedBody(t, d, "/sections/news.json")
		return strings.Contains(body, "Alpha 第一条") && strings.Contains(body, "Alpha 第三条")
	})
	t.Logf("Redis restarted empty: the section is served again %v later", time.Since(lost).Round(time.Millisecond))
}
