package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestDaemon_redisSentinel runs the daemon with redis.addrs naming only a
// Sentinel and redis.master_name its master: the daemon must find the
// master through the Sentinel, store what it polls there and serve it.
func TestDaemon_redisSentinel(t *testing.T) {
	sentinel, master := storetest.StartSentinel(t)
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	dir := t.TempDir()
	yaml := fmt.Sprintf("redis:\n  addrs: [%q]\n  master_name: %s\nlisten: 127.0.0.1:0\nbase_url: http://feeds.example.test\n"+
		"defaults:\n  schedule: \"@every 1h\"\nsections:\n  - id: news\n    title: 资讯\n    sources:\n      - url: %s\n",
		sentinel, storetest.SentinelMaster, alpha.srv.URL+"/feed.xml")
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Redis.Mode() != config.RedisSentinel {
		t.Fatalf("config selects redis mode %q, want sentinel", cfg.Redis.Mode())
	}

	startDaemon(t, cfg).expectAlphaServed(t)
	direct := storetest.NewClient(t, master)
	n, err := direct.ZCard(context.Background(), "trib:section:{news}:entries").Result()
	if err != nil || n != 2 {
		t.Errorf("the master's section index holds %d entries (%v), want 2", n, err)
	}
}
