package main

import (
	"bytes"
	"net/http"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestDaemon_twoInstancesConverge runs two daemons with the same config on
// one redis-server. Whichever polls a change first, the other serves it
// within a second: the change event on the Redis channel drops its cached
// render. The periodic version re-check is set to an hour here so that only
// the event can do it: cache hits make no Redis round trip.
func TestDaemon_twoInstancesConverge(t *testing.T) {
	redisURL := "redis://" + storetest.StartRedis(t) + "/0"
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	cfg := writeConfig(t, t.TempDir(), redisURL, "@every 1s", alpha.srv.URL+"/feed.xml")

	onlyEvents := daemonHooks{recheck: time.Hour}
	d1 := startDaemonHooks(t, cfg, onlyEvents)
	d1.waitPolls(t, 1)
	d2 := startDaemonHooks(t, cfg, onlyEvents)
	daemons := []*daemon{d1, d2}
	const path = "/sections/news.atom"
	for i, d := range daemons {
		// Warm both render caches with the first version.
		waitFor(t, func() bool {
			resp, body := d.get(t, path, nil)
			return resp.StatusCode == http.StatusOK && bytes.Contains(body, []byte("Alpha 第三条"))
		})
		t.Logf("daemon %d warm", i+1)
	}

	alpha.setBody(mustRead(t, "alpha.xml"), map[string]string{"{{TITLE}}": "Alpha 第三条（二）"})
	changed := []byte("Alpha 第三条（二）")
	var first int
	waitFor(t, func() bool {
		for i, d := range daemons {
			if _, body := d.get(t, path, nil); bytes.Contains(body, changed) {
				first = i
				return true
			}
		}
		return false
	})
	seen := time.Now()
	other := daemons[1-first]
	deadline := seen.Add(time.Second)
	for {
		_, body := other.get(t, path, nil)
		if bytes.Contains(body, changed) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("daemon %d served the change; daemon %d still served the old render after 1s", first+1, 2-first)
		}
		time.Sleep(10 * time.Millisecond) // polling interval, not a wait for the condition
	}
	t.Logf("daemon %d converged %v after daemon %d", 2-first, time.Since(seen).Round(time.Millisecond), first+1)
	r1, b1 := d1.get(t, path, nil)
	r2, b2 := d2.get(t, path, nil)
	if r1.Header.Get("ETag") != r2.Header.Get("ETag") || !bytes.Equal(b1, b2) {
		t.Errorf("instances disagree: ETag %s vs %s, same body %v", r1.Header.Get("ETag"), r2.Header.Get("ETag"), bytes.Equal(b1, b2))
	}
}
