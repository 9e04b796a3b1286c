package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// TestCmdSources_freshness: `tributary sources` has a FRESHNESS column
// read from the store: days since each school's newest entry, stale past
// its stale_after.
func TestCmdSources_freshness(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tributary.yaml")
	const (
		a = "https://a.example.edu.cn/rss.xml"
		b = "https://b.example.edu.cn/rss.xml"
	)
	writeFile(t, path, "storage:\n  snapshot: "+filepath.Join(dir, "t.snapshot")+"\nsections:\n  - id: news\n    sources:\n"+
		"      - url: "+a+"\n      - url: "+b+"\n")
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	seedStore(t, cfg, func(ctx context.Context, st *store.Store, srcs map[string]model.Source) {
		for u, ago := range map[string]int{a: 3, b: 40} {
			pub := now.AddDate(0, 0, -ago).Add(-time.Hour)
			e := model.Entry{ID: u, SourceID: srcs[u].ID, Title: "新闻", Link: u + "#1", Published: pub, Updated: pub}
			if _, err := st.Ingest(ctx, srcs[u], cfg.Sections(), []model.Entry{e}, now.Add(-time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
	})
	code, stdout, stderr := runCLI(t, "sources", "--config", path)
	if code != exitOK {
		t.Fatalf("sources: exit %d %s", code, stderr)
	}
	if !strings.Contains(stdout, "ENTRIES  FRESHNESS  LAST ERROR") {
		t.Errorf("no FRESHNESS column:\n%s", stdout)
	}
	for u, want := range map[string]string{a: "  3d  ", b: "  stale 40d  "} {
		for _, line := range strings.Split(stdout, "\n") {
			if strings.HasSuffix(line, u) && !strings.Contains(line, want) {
				t.Errorf("row of %s lacks %q: %q", u, want, line)
			}
		}
	}
}
