package main

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestDaemon_adminPollOnce: every polling daemon hears an admin poll
// request, but the source is fetched once per request, not once per
// daemon. The request makes the source due in the due set the daemons
// share, and the one that claims it first polls; the second daemon hears
// each request late, after the poll, when nothing is left to claim.
func TestDaemon_adminPollOnce(t *testing.T) {
	addr := storetest.StartRedis(t)
	redisURL := "redis://" + addr + "/0"
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	alphaURL := alpha.srv.URL + "/feed.xml"
	admin := "admin:\n  token: " + adminToken + "\n  allow_private: true\n"
	first := startDaemon(t, withAdmin(t, writeConfig(t, t.TempDir(), redisURL, "@every 1h", alphaURL), admin))
	// The start-up poll: the first daemon polls; the second, started
	// after, finds the source scheduled an hour on.
	first.waitPollOf(t, alphaURL)
	late := make(chan struct{}, 8)
	second := startDaemonHooks(t, withAdmin(t, writeConfig(t, t.TempDir(), redisURL, "@every 1h", alphaURL), admin),
		daemonHooks{beforeTrigger: func() { <-late }})
	t.Cleanup(func() { close(late) }) // runs before the daemons' shutdown: never leave the hook blocked

	rdb := redis.NewClient(&redis.Options{Addr: addr})
	defer rdb.Close()
	keys := store.Keys{Prefix: store.DefaultPrefix}
	channel := keys.AdminEvents()
	dueKeys := dueset.Keys{Prefix: store.DefaultPrefix}
	waitFor(t, func() bool {
		n, err := rdb.PubSubNumSub(context.Background(), channel).Result()
		return err == nil && n[channel] == 2
	})
	var id string
	for k := range listAdmin(t, first) {
		id = k
	}
	// settled: the source is scheduled minutes on and no request is
	// pending, so neither daemon can claim it again: nothing more fetches.
	settled := func() bool {
		score, err := rdb.ZScore(context.Background(), dueKeys.Due(0), id).Result()
		n, err2 := rdb.Exists(context.Background(), dueKeys.PollRequest(id)).Result()
		return err == nil && err2 == nil && n == 0 && time.UnixMilli(int64(score)).After(time.Now().Add(10*time.Minute))
	}
	waitFor(t, settled)
	for i := range 3 {
		want := int64(2 + i)
		resp, body := []*daemon{first, second}[i%2].admin(t, "POST", "/api/v1/admin/sources/"+id+"/poll", "Bearer "+adminToken, nil)
		expectStatus(t, "poll", resp, body, http.StatusAccepted, id)
		waitFor(t, func() bool { return alpha.requests.Load() >= want && settled() })
		late <- struct{}{} // the poll is over: now the second daemon hears the request
		if n := alpha.requests.Load(); n != want {
			t.Fatalf("request %d: source fetched %d times in all, want %d (once per request)", i+1, n, want)
		}
	}
	// The late daemon's handling of the last request changes nothing.
	waitFor(t, func() bool { return len(late) == 0 })
	waitFor(t, settled)
	if n := alpha.requests.Load(); n != 4 {
		t.Errorf("source fetched %d times in all, want 4", n)
	}
	drain := func(d *daemon) (errs []error) {
		for {
			select {
			case r := <-d.polls:
				if r.Err != nil {
					errs = append(errs, r.Err)
				}
			default:
				return errs
			}
		}
	}
	if errs := append(drain(first), drain(second)...); len(errs) > 0 {
		t.Errorf("poll errors: %v", errs)
	}
}
