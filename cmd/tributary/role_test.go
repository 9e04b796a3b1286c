package main

import (
	"bytes"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestDaemon_roles runs a poll-only and a serve-only instance on one
// redis-server through real listeners: the poller polls and exposes only
// health and metrics; the frontend serves what the poller stored and never
// polls.
func TestDaemon_roles(t *testing.T) {
	redisURL := "redis://" + storetest.StartRedis(t) + "/0"
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	cfg := writeConfig(t, t.TempDir(), redisURL, "@every 1h", alpha.srv.URL+"/feed.xml")

	poller := startDaemonHooks(t, cfg, daemonHooks{role: rolePoll})
	if res := poller.waitPolls(t, 1)[0]; res.Err != nil || res.New == 0 {
		t.Fatalf("poll: err %v, new %d", res.Err, res.New)
	}
	pollPaths := []struct {
		path string
		code int
	}{
		{"/healthz", 200}, {"/readyz", 200}, {"/metrics", 200},
		{"/", 404}, {"/sections/news.atom", 404}, {"/status", 404}, {"/api/v1/sections", 404},
	}
	for _, p := range pollPaths {
		if resp, _ := poller.get(t, p.path, nil); resp.StatusCode != p.code {
			t.Errorf("poll role: GET %s = %d, want %d", p.path, resp.StatusCode, p.code)
		}
	}
	_, metrics := poller.get(t, "/metrics", nil)
	if got := metricValue(t, metrics, `tributary_polls_total{result="ok"}`); got != 1 {
		t.Errorf("poll role: polls ok = %v, want 1", got)
	}

	requests := alpha.requests.Load()
	server := startDaemonHooks(t, cfg, daemonHooks{role: roleServe})
	resp, body := server.get(t, "/sections/news.atom", nil)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("Alpha 第三条")) {
		t.Fatalf("serve role: feed %d without the polled entry:\n%s", resp.StatusCode, body)
	}
	for _, path := range []string{"/healthz", "/readyz", "/status", "/"} {
		if resp, _ := server.get(t, path, nil); resp.StatusCode != http.StatusOK {
			t.Errorf("serve role: GET %s = %d, want 200", path, resp.StatusCode)
		}
	}
	_, metrics = server.get(t, "/metrics", nil)
	for _, series := range []string{`tributary_polls_total{result="ok"}`, `tributary_polls_total{result="error"}`} {
		if got := metricValue(t, metrics, series); got != 0 {
			t.Errorf("serve role: %s = %v, want 0", series, got)
		}
	}
	if got := alpha.requests.Load(); got != requests {
		t.Errorf("serve role fetched the source: %d requests, want %d", got, requests)
	}
	select {
	case res := <-server.polls:
		t.Errorf("serve role polled %s", res.URL)
	default:
	}
}

// metricValue finds one series in an exposition and returns its value.
func metricValue(t *testing.T, exposition []byte, series string) float64 {
	t.Helper()
	re := regexp.MustCompile(`(?m)^` + regexp.QuoteMeta(series) + ` (\S+)$`)
	m := re.FindSubmatch(exposition)
	if m == nil {
		t.Fatalf("no series %s in /metrics:\n%s", series, truncate(string(exposition), 4000))
	}
	v, err := strconv.ParseFloat(string(m[1]), 64)
	if err != nil {
		t.Fatalf("series %s: %v", series, err)
	}
	return v
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + strings.Repeat(".", 3)
}
