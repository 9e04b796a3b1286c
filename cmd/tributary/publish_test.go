package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// TestDaemon_publishing checks the daemon's publishing wiring: a change is
// pinged to the configured WebSub hub for every format, the feeds advertise
// the hub, and OPML lists the configured sources.
func TestDaemon_publishing(t *testing.T) {
	var (
		mu   sync.Mutex
		urls []string
	)
	hub := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.FormValue("hub.mode") == "publish" {
			mu.Lock()
			urls = append(urls, r.FormValue("hub.url"))
			mu.Unlock()
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer hub.Close()
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	dir := t.TempDir()
	cfg := writeConfig(t, dir, "", "@every 1h", alpha.srv.URL+"/feed.xml")
	extra := "websub:\n  hub: " + hub.URL + "/\nhttp:\n  cache_max_age: 1m\n"
	cfg = appendConfig(t, cfg.Path, extra)

	d := startDaemon(t, cfg)
	d.waitPolls(t, 1)
	want := []string{
		"http://feeds.example.test/sections/news.atom",
		"http://feeds.example.test/sections/news.json",
		"http://feeds.example.test/sections/news.rss",
	}
	waitFor(t, func() bool {
		mu.Lock()
		defer mu.Unlock()
		got := slices.Clone(urls)
		slices.Sort(got)
		return slices.Equal(got, want)
	})
	resp, body := d.get(t, "/sections/news.atom", nil)
	if !bytes.Contains(body, []byte(`rel="hub"`)) || resp.Header.Get("Cache-Control") != "public, max-age=60" {
		t.Errorf("feed: Cache-Control %q, hub advertised %v", resp.Header.Get("Cache-Control"), bytes.Contains(body, []byte(`rel="hub"`)))
	}
	_, opml := d.get(t, "/opml", nil)
	if !bytes.Contains(opml, []byte(`xmlUrl="`+alpha.srv.URL+`/feed.xml"`)) {
		t.Errorf("OPML lacks the source:\n%s", opml)
	}
	_, api := d.get(t, "/api/v1/sections/news/entries?limit=1", nil)
	if !bytes.Contains(api, []byte("Alpha 第三条")) || !bytes.Contains(api, []byte(`"next_url":"http://feeds.example.test/api/v1/sections/news/entries?`)) {
		t.Errorf("API page:\n%s", api)
	}
}

// appendConfig adds YAML to the config file at path and loads it again.
func appendConfig(t *testing.T, path, extra string) *config.Config {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, append(b, extra...), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
