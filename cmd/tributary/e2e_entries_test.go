package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// TestDaemon_entries runs the daemon over two member sites that repost one
// story (one with tracking parameters, published later) and a section
// filter: the merged feed holds the story once, from the site that
// published it first, with a clean link, and nothing the filter excludes.
func TestDaemon_entries(t *testing.T) {
	a := newFixtureSource(t, "repost-a.xml", "application/rss+xml", nil)
	b := newFixtureSource(t, "repost-b.xml", "application/rss+xml", nil)
	dir := t.TempDir()
	yaml := fmt.Sprintf(`listen: 127.0.0.1:0
storage:
  snapshot: %s
defaults:
  schedule: "@every 1h"
  timezone: Asia/Shanghai
sections:
  - id: news
    exclude: ["/^广告[:：]/"]
    sources:
      - url: %s
      - url: %s
`, filepath.Join(dir, "tributary.snapshot"), a.srv.URL+"/rss.xml", b.srv.URL+"/rss.xml")
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	d := startDaemon(t, cfg)
	defer d.shutdown(t)
	for _, r := range d.waitPolls(t, 2) {
		if r.Err != nil {
			t.Fatalf("poll %s: %v", r.URL, r.Err)
		}
	}
	_, body := d.get(t, "/sections/news.rss", nil)
	feed := parseFeed(t, body)
	wantTitles := []string{"教育部关于2027年度招生工作的通知", "Alpha 学院举办运动会"}
	if got := titles(feed); !slices.Equal(got, wantTitles) {
		t.Fatalf("titles = %q, want %q", got, wantTitles)
	}
	if got, want := feed.Items[0].Link, "https://WWW.MOE.GOV.CN/srcsite/A15/202611/t20261120_1.html#top"; got != want {
		t.Errorf("story link = %q, want the first publisher's %q", got, want)
	}
}
