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
// daemon. The second daemon hears each request late, after the first has
// polled and released the lease, so only the request mark in Redis (taken
// by the first) can stop it fetching again.
func TestDaemon_adminPollOnce(t *testing.T) {
	addr := storetest.StartRedis(t)
	redisURL := "redis://" + addr + "/0"
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	alphaURL := alpha.srv.URL + "/feed.xml"
	admin := "admin:\n  token: " + adminToken + "\n  allow_private: true\n"
	first := startDaemon(t, withAdmin(t, writeConfig(t, t.TempDir(), redisURL, "@every 1h", alphaURL), admin))
	// The start-up catch-up: the first daemon polls; the second, started
	// after, finds the source not due.
	first.waitPollOf(t, alphaURL)
	late := make(chan struct{}, 8)
	second := startDaemonHooks(t, withAdmin(t, writeConfig(t, t.TempDir(), redisURL, "@every 1h", alphaURL), admin),
		daemonHooks{beforeTrigger: func() { <-late }})
	t.Cleanup(func() { close(late) }) // runs before the daemons' shutdown: never leave the hook blocked

	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	channel := store.Keys{Prefix: store.DefaultPrefix}.AdminEvents()
	waitFor(t, func() bool {
		n, err := rdb.PubSubNumSub(context.Background(), channel).Result()
		return err == nil && n[channel] == 2
	})
	var id string
	for k := range listAdmin(t, first) {
		id = k
	}
	for i := range 3 {
		want := int64(2 + i)
		resp, body := []*daemon{first, second}[i%2].admin(t, "POST", "/api/v1/admin/sources/"+id+"/poll", "Bearer "+adminToken, nil)
		expectStatus(t, "poll", resp, body, http.StatusAccepted, id)
		if r := first.waitPollOf(t, alphaURL); r.Err != nil {
			t.Fatalf("request %d: poll: %v", i+1, r.Err)
		}
		late <- struct{}{} // the first daemon's poll is over: now the second hears the request
		// Give the second daemon ample time to fetch, wrongly.
		time.Sleep(500 * time.Millisecond)
		if n := alpha.requests.Load(); n != want {
			t.Fatalf("request %d: source fetched %d times in all, want %d (once per request)", i+1, n, want)
		}
		select {
		case r := <-second.polls:
			t.Fatalf("request %d: the daemon that heard it late polled too: %+v", i+1, r)
		default:
		}
	}
}
