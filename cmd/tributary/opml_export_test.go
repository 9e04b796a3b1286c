package main

import (
	"context"
	"log/slog"
	"path/filepath"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/opml"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// TestCmdOPML_exportKnownTitles: a source the config leaves untitled is
// exported under the feed's own title as the store knows it (its state,
// else its newest entry), with the feed's site link as htmlUrl; the URL
// is the title only when nothing better is known.
func TestCmdOPML_exportKnownTitles(t *testing.T) {
	dir := t.TempDir()
	snap := filepath.Join(dir, "t.snapshot")
	path := filepath.Join(dir, "tributary.yaml")
	const (
		fromState  = "https://a.example.edu.cn/rss.xml"
		fromEntry  = "https://b.example.edu.cn/rss.xml"
		configured = "https://c.example.edu.cn/rss.xml"
		unknown    = "https://d.example.edu.cn/rss.xml"
		badLink    = "https://e.example.edu.cn/rss.xml"
	)
	writeFile(t, path, "base_url: https://feeds.example.org\nstorage:\n  snapshot: "+snap+"\nsections:\n  - id: news\n    title: 资讯\n    sources:\n"+
		"      - url: "+fromState+"\n      - url: "+fromEntry+"\n      - url: "+configured+"\n        title: 丙校（配置）\n      - url: "+unknown+"\n      - url: "+badLink+"\n")
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	seedStore(t, cfg, func(ctx context.Context, st *store.Store, srcs map[string]model.Source) {
		save := func(u, title, link string) {
			if err := st.SaveSourceState(ctx, srcs[u].ID, model.SourceState{URL: u, Title: title, Link: link}); err != nil {
				t.Fatal(err)
			}
		}
		save(fromState, "甲校 <新闻> & 通知", "https://a.example.edu.cn/")
		save(configured, "丙校自己的标题", "https://c.example.edu.cn/")
		save(badLink, "戊校", "javascript:alert(1)")
		now := time.Now()
		e := model.Entry{ID: "b-1", SourceID: srcs[fromEntry].ID, SourceTitle: "乙校新闻", SourceLink: "https://b.example.edu.cn/",
			Title: "运动会", Link: "https://b.example.edu.cn/1.htm", Published: now, Updated: now, FirstSeen: now}
		if _, err := st.Ingest(ctx, srcs[fromEntry], cfg.Sections(), []model.Entry{e}, now); err != nil {
			t.Fatal(err)
		}
	})

	code, out, stderr := runCLI(t, "opml", "export", "--config", path)
	if code != exitOK || stderr != "" {
		t.Fatalf("export: exit %d %s", code, stderr)
	}
	doc := parseOPMLDoc(t, out)
	if len(doc.Body) != 1 || doc.Body[0].Text != "资讯" || doc.Body[0].HTMLURL != "https://feeds.example.org/sections/news" {
		t.Fatalf("section outline %+v", doc.Body)
	}
	want := []opml.Outline{
		{Text: "甲校 <新闻> & 通知", Title: "甲校 <新闻> & 通知", Type: "rss", XMLURL: fromState, HTMLURL: "https://a.example.edu.cn/"},
		{Text: "乙校新闻", Title: "乙校新闻", Type: "rss", XMLURL: fromEntry, HTMLURL: "https://b.example.edu.cn/"},
		{Text: "丙校（配置）", Title: "丙校（配置）", Type: "rss", XMLURL: configured, HTMLURL: "https://c.example.edu.cn/"},
		{Text: unknown, Title: unknown, Type: "rss", XMLURL: unknown},
		{Text: "戊校", Title: "戊校", Type: "rss", XMLURL: badLink},
	}
	got := doc.Body[0].Children
	if len(got) != len(want) {
		t.Fatalf("%d feeds, want %d:\n%s", len(got), len(want), out)
	}
	for i := range want {
		if got[i].Text != want[i].Text || got[i].Title != want[i].Title || got[i].XMLURL != want[i].XMLURL || got[i].HTMLURL != want[i].HTMLURL || got[i].Type != want[i].Type {
			t.Errorf("feed %d = %+v\nwant %+v", i, got[i], want[i])
		}
	}
	code, out, _ = runCLI(t, "opml", "export", "--config", path, "--section", "nope")
	if code != exitError {
		t.Errorf("export of an unknown section: exit %d\n%s", code, out)
	}
}

// seedStore writes to the config's embedded store through its snapshot:
// fn gets the store and the config's sources by URL.
func seedStore(t *testing.T, cfg *config.Config, fn func(context.Context, *store.Store, map[string]model.Source)) {
	t.Helper()
	emb, err := store.StartEmbedded(cfg.Storage.Snapshot, nil)
	if err != nil {
		t.Fatal(err)
	}
	client := redis.NewClient(emb.ClientOptions())
	srcs := map[string]model.Source{}
	for _, s := range cfg.Sources() {
		srcs[s.URL] = s
	}
	fn(context.Background(), store.New(client, cfg.Redis.Prefix, slog.New(slog.DiscardHandler)), srcs)
	client.Close()
	if err := emb.Close(); err != nil {
		t.Fatal(err)
	}
}
