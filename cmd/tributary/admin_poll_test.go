package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestDaemon_adminPollOnce: every polling daemon hears an admin poll
// request, but the source is fetched once per request, not once per
// daemon. Here both hear it at once, so the lease alone would stop the
// second; the request mark that stops a daemon hearing it late is proved
// by TestScheduler_requestedPollOnce. This test proves the wiring: with
// the mark required but never set, no request would be served.
func TestDaemon_adminPollOnce(t *testing.T) {
	addr := storetest.StartRedis(t)
	redisURL := "redis://" + addr + "/0"
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	alphaURL := alpha.srv.URL + "/feed.xml"
	var daemons []*daemon
	for range 2 {
		cfg := writeConfig(t, t.TempDir(), redisURL, "@every 1h", alphaURL)
		daemons = append(daemons, startDaemon(t, withAdmin(t, cfg, "admin:\n  token: "+adminToken+"\n  allow_private: true\n")))
	}
	// The start-up catch-up: one daemon polls, the other finds it not due.
	waitFor(t, func() bool { return alpha.requests.Load() == 1 })

	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	channel := store.Keys{Prefix: store.DefaultPrefix}.AdminEvents()
	waitFor(t, func() bool {
		n, err := rdb.PubSubNumSub(context.Background(), channel).Result()
		return err == nil && n[channel] == 2
	})
	var id string
	for k := range listAdmin(t, daemons[0]) {
		id = k
	}
	for i := range 4 {
		want := int64(2 + i)
		resp, body := daemons[i%2].admin(t, "POST", "/api/v1/admin/sources/"+id+"/poll", "Bearer "+adminToken, nil)
		expectStatus(t, "poll", resp, body, http.StatusAccepted, id)
		waitFor(t, func() bool { return alpha.requests.Load() >= want })
		// Both daemons got the request within milliseconds; give the one
		// that did not fetch ample time to fetch too, wrongly.
		time.Sleep(500 * time.Millisecond)
		if n := alpha.requests.Load(); n != want {
			t.Fatalf("request %d: source fetched %d times in all, want %d (once per request)", i+1, n, want)
		}
	}
}
