package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// campusSource is one fixture feed of testdata/campus.xml (five items).
type campusSource struct {
	id, name string
	src      *fixtureSource
}

// campusSection lists the sources a section merges.
type campusSection struct {
	id, title string
	sources   []string
}

const campusItems = 5

// TestDaemon_redisCluster runs the distributed deployment on a three-master
// Redis Cluster: two serve-only frontends start first, then one poll-only
// instance polls every source once. Both frontends must come to serve every
// section complete (what they learn through the Cluster's pub/sub and
// section versions), and byte-identical, with identical ETags, in every
// format. Section and source keys spread over all three masters.
func TestDaemon_redisCluster(t *testing.T) {
	addrs := storetest.StartCluster(t)
	sources := []*campusSource{
		{id: "jwc", name: "教务处"}, {id: "lib", name: "图书馆"}, {id: "kyc", name: "科研处"},
		{id: "tw", name: "校团委"}, {id: "xsc", name: "学生处"}, {id: "hq", name: "后勤集团"},
	}
	for _, s := range sources {
		s.src = newFixtureSource(t, "campus.xml", "application/rss+xml; charset=utf-8",
			map[string]string{"{{SRC}}": s.id, "{{NAME}}": s.name})
	}
	sections := []campusSection{
		{id: "news", title: "要闻", sources: []string{"jwc", "lib"}},
		{id: "teaching", title: "教学", sources: []string{"lib", "kyc"}},
		{id: "research", title: "科研", sources: []string{"kyc"}},
		{id: "campus-life", title: "校园生活", sources: []string{"tw", "xsc", "hq", "jwc"}},
	}
	cfg := writeClusterConfig(t, addrs, sources, sections)
	if cfg.Redis.Mode() != config.RedisCluster {
		t.Fatalf("config selects redis mode %q, want cluster", cfg.Redis.Mode())
	}

	frontends := []*daemon{
		startDaemonHooks(t, cfg, daemonHooks{role: roleServe}),
		startDaemonHooks(t, cfg, daemonHooks{role: roleServe}),
	}
	poller := startDaemonHooks(t, cfg, daemonHooks{role: rolePoll})
	for _, res := range poller.waitPolls(t, len(sources)) {
		if res.Err != nil || res.New != campusItems {
			t.Fatalf("poll %s: err %v, %d new entries, want %d", res.URL, res.Err, res.New, campusItems)
		}
	}

	names := map[string]string{}
	for _, s := range sources {
		names[s.id] = s.name
	}
	for i, d := range frontends {
		for _, sec := range sections {
			want := wantTitles(sec, names)
			var got []string
			waitFor(t, func() bool {
				got = apiTitles(t, d, sec.id)
				return slices.Equal(got, want)
			})
			t.Logf("frontend %d serves section %s complete (%d entries)", i+1, sec.id, len(got))
		}
	}

	// The data must really be spread: every master holds some of it.
	var mu sync.Mutex
	keys := map[string]int64{}
	err := storetest.NewClusterClient(t, addrs).ForEachMaster(context.Background(), func(ctx context.Context, node *redis.Client) error {
		n, err := node.DBSize(ctx).Result()
		mu.Lock()
		keys[node.Options().Addr] = n
		mu.Unlock()
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for addr, n := range keys {
		if n == 0 {
			t.Errorf("master %s holds no keys: %v", addr, keys)
		}
	}
	if len(keys) != len(addrs) {
		t.Errorf("keys per master %v, want %d masters", keys, len(addrs))
	}

	paths := func(id string) []string {
		return []string{
			"/sections/" + id + ".rss", "/sections/" + id + ".atom", "/sections/" + id + ".json",
			"/api/v1/sections/" + id + "/entries",
		}
	}
	for _, sec := range sections {
		for _, path := range paths(sec.id) {
			r1, b1 := frontends[0].get(t, path, nil)
			r2, b2 := frontends[1].get(t, path, nil)
			if r1.StatusCode != http.StatusOK || r2.StatusCode != http.StatusOK {
				t.Errorf("GET %s: status %d and %d, want 200", path, r1.StatusCode, r2.StatusCode)
				continue
			}
			e1, e2 := r1.Header.Get("ETag"), r2.Header.Get("ETag")
			if e1 == "" || e1 != e2 {
				t.Errorf("GET %s: ETags %q and %q differ", path, e1, e2)
			}
			if !bytes.Equal(b1, b2) {
				t.Errorf("GET %s: bodies differ:\n%s\n---\n%s", path, truncate(string(b1), 400), truncate(string(b2), 400))
			}
			if !strings.HasSuffix(path, "/entries") {
				if n := len(parseFeed(t, b1).Items); n != len(sec.sources)*campusItems {
					t.Errorf("GET %s: %d items, want %d", path, n, len(sec.sources)*campusItems)
				}
			}
		}
	}
}

// wantTitles is a section's complete entry titles, newest first: the items
// of campus.xml are dated in title order, and equal dates across sources
// are left in any order the store picks, so each date's titles are sorted.
func wantTitles(sec campusSection, names map[string]string) []string {
	var out []string
	for i := campusItems; i >= 1; i-- {
		var same []string
		for _, src := range sec.sources {
			same = append(same, names[src]+campusOrdinal[i-1])
		}
		slices.Sort(same)
		out = append(out, same...)
	}
	return out
}

var campusOrdinal = []string{
	"第一条：开学典礼通知", "第二条：图书馆延长开放时间", "第三条：学术讲座预告", "第四条：校园马拉松报名", "第五条：期末考试安排",
}

// apiTitles reads a section's entries through the JSON API, with each
// run of equal dates sorted like wantTitles.
func apiTitles(t *testing.T, d *daemon, sectionID string) []string {
	t.Helper()
	resp, body := d.get(t, "/api/v1/sections/"+sectionID+"/entries", nil)
	if resp.StatusCode != http.StatusOK {
		return nil
	}
	var page struct {
		Entries []struct {
			Title     string `json:"title"`
			Published string `json:"date_published"`
		} `json:"entries"`
	}
	if err := json.Unmarshal(body, &page); err != nil {
		t.Fatalf("section %s: decode API entries: %v\n%s", sectionID, err, body)
	}
	var out []string
	for i := 0; i < len(page.Entries); {
		j := i
		var same []string
		for ; j < len(page.Entries) && page.Entries[j].Published == page.Entries[i].Published; j++ {
			same = append(same, page.Entries[j].Title)
		}
		slices.Sort(same)
		out = append(out, same...)
		i = j
	}
	return out
}

// writeClusterConfig writes a config for the cluster at addrs with the
// given sources and sections; every source is polled once at start.
func writeClusterConfig(t *testing.T, addrs []string, sources []*campusSource, sections []campusSection) *config.Config {
	t.Helper()
	dir := t.TempDir()
	urls := map[string]string{}
	for _, s := range sources {
		urls[s.id] = s.src.srv.URL + "/feed.xml"
	}
	var b strings.Builder
	b.WriteString("redis:\n  addrs:\n")
	for _, a := range addrs {
		fmt.Fprintf(&b, "    - %s\n", a)
	}
	b.WriteString("  cluster: true\n")
	b.WriteString("listen: 127.0.0.1:0\nbase_url: http://feeds.example.test\n")
	b.WriteString("defaults:\n  schedule: \"@every 1h\"\n  timezone: Asia/Shanghai\n  max_items: 50\nsections:\n")
	for _, sec := range sections {
		fmt.Fprintf(&b, "  - id: %s\n    title: %s\n    sources:\n", sec.id, sec.title)
		for _, src := range sec.sources {
			fmt.Fprintf(&b, "      - url: %s\n", urls[src])
		}
	}
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
