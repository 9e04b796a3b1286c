package main

import (
	"bytes"
	"net/http"
	"runtime"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestDaemon_metrics scrapes /metrics of a whole daemon after a poll and a
// few requests, on a real redis-server.
func TestDaemon_metrics(t *testing.T) {
	redisURL := "redis://" + storetest.StartRedis(t) + "/0"
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	cfg := writeConfig(t, t.TempDir(), redisURL, "@every 1h", alpha.srv.URL+"/feed.xml")
	id := cfg.Sources()[0].ID
	before := time.Now()
	d := startDaemon(t, cfg)
	res := d.waitPolls(t, 1)[0]
	if res.Err != nil {
		t.Fatal(res.Err)
	}
	for range 3 {
		if resp, _ := d.get(t, "/sections/news.rss", nil); resp.StatusCode != http.StatusOK {
			t.Fatalf("feed: %d", resp.StatusCode)
		}
	}
	d.get(t, "/sections/missing.rss", nil)
	resp, body := d.get(t, "/metrics", nil)
	if resp.StatusCode != http.StatusOK || !bytes.Contains([]byte(resp.Header.Get("Content-Type")), []byte("text/plain")) {
		t.Fatalf("/metrics: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	tests := []struct {
		series   string
		min, max float64
	}{
		{`tributary_polls_total{result="ok"}`, 1, 1},
		{`tributary_polls_total{result="error"}`, 0, 0},
		{`tributary_fetch_duration_seconds_count`, 1, 1},
		{`tributary_fetched_bytes_total`, float64(res.Bytes), float64(res.Bytes)},
		{`tributary_entries_ingested_total{change="new"}`, float64(res.New), float64(res.New)},
		{`tributary_entries_ingested_total{change="updated"}`, 0, 0},
		{`tributary_sources_gone_total`, 0, 0},
		{`tributary_section_entries{section="news"}`, float64(res.New), float64(res.New)},
		{`tributary_section_version{section="news"}`, 1, 1e9},
		{`tributary_sources{state="ok"}`, 1, 1},
		{`tributary_sources{state="failing"}`, 0, 0},
		{`tributary_render_cache_misses_total`, 1, 1},
		{`tributary_render_cache_hits_total`, 2, 2},
		{`tributary_http_requests_total{code="200",route="GET /sections/{name}"}`, 3, 3},
		{`tributary_http_requests_total{code="404",route="GET /sections/{name}"}`, 1, 1},
		{`tributary_http_request_duration_seconds_count{route="GET /sections/{name}"}`, 4, 4},
		{`tributary_redis_errors_total`, 0, 0},
		{`go_goroutines`, 1, 1e6},
		{`tributary_source_errors_in_row{source="` + id + `"}`, 0, 0},
		{`tributary_source_last_success_timestamp_seconds{source="` + id + `"}`, float64(before.Unix()), float64(time.Now().Unix() + 1)},
		{`tributary_build_info{goversion="` + runtime.Version() + `",version="` + version + `"}`, 1, 1},
	}
	if res.New == 0 || res.Bytes == 0 {
		t.Fatalf("poll stored nothing: %+v", res)
	}
	for _, tt := range tests {
		if got := metricValue(t, body, tt.series); got < tt.min || got > tt.max {
			t.Errorf("%s = %v, want [%v, %v]", tt.series, got, tt.min, tt.max)
		}
	}
	// Failed polls are counted by tributary_polls_total{result="error"}
	// alone.
	if bytes.Contains(body, []byte("tributary_poll_backoffs_total")) {
		t.Error("tributary_poll_backoffs_total is still exported")
	}
}

// TestDaemon_metricsRequireToken turns metrics.require_token on: /metrics
// answers 401 without the admin token on every role that serves it, and
// counts requests that bring it.
func TestDaemon_metricsRequireToken(t *testing.T) {
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	cfg := writeConfig(t, t.TempDir(), "", "@every 1h", alpha.srv.URL+"/feed.xml")
	cfg = appendConfig(t, cfg.Path, "admin:\n  token: "+adminToken+"\nmetrics:\n  require_token: true\n")
	for _, rl := range []role{roleAll, rolePoll} {
		t.Run(string(rl), func(t *testing.T) {
			d := startDaemonHooks(t, cfg, daemonHooks{role: rl})
			tests := []struct {
				name string
				auth map[string]string
				code int
			}{
				{"no token", nil, http.StatusUnauthorized},
				{"wrong token", map[string]string{"Authorization": "Bearer nope"}, http.StatusUnauthorized},
				{"admin token", map[string]string{"Authorization": "Bearer " + adminToken}, http.StatusOK},
			}
			for _, tt := range tests {
				resp, body := d.get(t, "/metrics", tt.auth)
				if resp.StatusCode != tt.code {
					t.Errorf("%s: /metrics = %d, want %d", tt.name, resp.StatusCode, tt.code)
				}
				if tt.code == http.StatusOK && metricValue(t, body, `tributary_http_requests_total{code="401",route="GET /metrics"}`) != 2 {
					t.Errorf("%s: refused scrapes not counted:\n%s", tt.name, body)
				}
			}
		})
	}
}
