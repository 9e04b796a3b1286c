package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// TestCmdSources_detected: a list page read by detection shows the items
// selector chosen after its URL; other sources show their URL alone.
func TestCmdSources_detected(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tributary.yaml")
	const (
		page = "https://a.example.edu.cn/xwdt.htm"
		feed = "https://b.example.edu.cn/rss.xml"
	)
	writeFile(t, path, "storage:\n  snapshot: "+filepath.Join(dir, "t.snapshot")+"\nsections:\n  - id: news\n    sources:\n"+
		"      - url: "+page+"\n      - url: "+feed+"\n")
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	seedStore(t, cfg, func(ctx context.Context, st *store.Store, srcs map[string]model.Source) {
		states := map[string]model.SourceState{
			page: {URL: page, LastStatus: 200, Detected: &model.Scrape{Items: "div.news-list li", Date: "div.date"}},
			feed: {URL: feed, LastStatus: 200},
		}
		for u, s := range states {
			if err := st.SaveSourceState(ctx, srcs[u].ID, s); err != nil {
				t.Fatal(err)
			}
		}
	})
	code, stdout, stderr := runCLI(t, "sources", "--config", path)
	if code != exitOK {
		t.Fatalf("sources: exit %d %s", code, stderr)
	}
	if !strings.Contains(stdout, page+" (list detected: div.news-list li)\n") || !strings.Contains(stdout, feed+"\n") ||
		strings.Count(stdout, "list detected") != 1 {
		t.Errorf("sources:\n%s", stdout)
	}
}
