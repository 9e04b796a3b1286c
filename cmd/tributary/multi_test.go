package main

import (
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestDaemon_twoInstances runs two daemons on one redis-server with the
// same sources on a one-second schedule: between them each source is
// fetched once per due time (the lease and the shared next_due), never
// twice.
func TestDaemon_twoInstances(t *testing.T) {
	redisURL := "redis://" + storetest.StartRedis(t) + "/0"
	var sources []*fixtureSource
	var urls []string
	for range 4 {
		fs := newFixtureSource(t, "alpha.xml", "application/rss+xml", nil)
		sources = append(sources, fs)
		urls = append(urls, fs.srv.URL+"/feed.xml")
	}
	var mu sync.Mutex
	polls := map[string][]poll.Result{} // by source URL
	perDaemon := [2]int{}
	var daemons []*daemon
	for i := range 2 {
		cfg := writeConfig(t, t.TempDir(), redisURL, "@every 1s", urls...)
		d := startDaemon(t, cfg)
		daemons = append(daemons, d)
		go func() {
			for r := range d.polls {
				mu.Lock()
				polls[r.URL] = append(polls[r.URL], r)
				perDaemon[i]++
				mu.Unlock()
			}
		}()
	}
	waitFor(t, func() bool {
		for _, fs := range sources {
			if fs.requests.Load() < 4 {
				return false
			}
		}
		return true
	})
	for _, d := range daemons {
		d.shutdown(t)
	}
	mu.Lock()
	defer mu.Unlock()
	for i, fs := range sources {
		got := polls[urls[i]]
		if fetched := fs.requests.Load(); int(fetched) != len(got) {
			t.Errorf("source %d: fetched %d times but %d polls reported", i, fetched, len(got))
		}
		seen := map[time.Time]bool{}
		for _, r := range got {
			if r.Err != nil {
				t.Errorf("source %d: poll error %v", i, r.Err)
			}
			if seen[r.Due] {
				t.Errorf("source %d: due time %v polled twice", i, r.Due)
			}
			seen[r.Due] = true
		}
	}
	t.Logf("polls per daemon: %v", perDaemon)
}

// TestDaemon_sourceStatus checks /api/v1/sources and /status on a running
// daemon: a failing source is listed first with its reason.
func TestDaemon_sourceStatus(t *testing.T) {
	good := newFixtureSource(t, "alpha.xml", "application/rss+xml", nil)
	bad := newFixtureSource(t, "alpha.xml", "application/rss+xml", nil)
	bad.setDown(true)
	cfg := writeConfig(t, t.TempDir(), "", "@every 1h", good.srv.URL+"/feed.xml", bad.srv.URL+"/feed.xml")
	d := startDaemon(t, cfg)
	d.waitPolls(t, 2)
	resp, body := d.get(t, "/api/v1/sources", nil)
	if resp.StatusCode != 200 {
		t.Fatalf("/api/v1/sources: %d %s", resp.StatusCode, body)
	}
	var got struct {
		Sources []struct {
			ConfiguredURL string `json:"configured_url"`
			State         string `json:"state"`
			LastError     string `json:"last_error"`
			Entries       int    `json:"entries"`
			NextDue       string `json:"next_due"`
		} `json:"sources"`
	}
	if err := json.Unmarshal(body, &got); err != nil {
		t.Fatal(err)
	}
	if len(got.Sources) != 2 {
		t.Fatalf("sources = %+v", got.Sources)
	}
	first, second := got.Sources[0], got.Sources[1]
	if first.ConfiguredURL != bad.srv.URL+"/feed.xml" || first.State != "failing" || first.LastError != "HTTP 500 Internal Server Error" {
		t.Errorf("first = %+v, want the failing source", first)
	}
	if second.State != "ok" || second.Entries == 0 || second.NextDue == "" {
		t.Errorf("second = %+v", second)
	}
	resp, body = d.get(t, "/status", nil)
	if resp.StatusCode != 200 || !strings.Contains(string(body), "HTTP 500 Internal Server Error") {
		t.Errorf("/status: %d\n%s", resp.StatusCode, body)
	}
}
