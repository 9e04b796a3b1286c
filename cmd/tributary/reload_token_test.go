package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/config/reload"
)

// TestDaemon_reloadTokenGuardsMetrics: a new admin.token applies on
// reload to a guarded /metrics on every role, a poll-only instance
// included, and the old token is refused from then on.
func TestDaemon_reloadTokenGuardsMetrics(t *testing.T) {
	const oldToken, newToken = "reload-token-old-0123456789", "reload-token-new-0123456789"
	for _, rl := range []role{roleAll, rolePoll} {
		t.Run(string(rl), func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "tributary.yaml")
			src := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha"})
			write := func(token string) {
				doc := fmt.Sprintf("listen: 127.0.0.1:0\nbase_url: http://feeds.example.test\nstorage:\n  snapshot: %s\n  snapshot_interval: 1h\n"+
					"admin:\n  token: %s\nmetrics:\n  require_token: true\ndefaults:\n  schedule: \"@every 1h\"\nsections:\n  - id: news\n    sources:\n      - url: %s\n",
					filepath.Join(dir, "tributary.snapshot"), token, src.srv.URL+"/feed.xml")
				if err := os.WriteFile(path+".tmp", []byte(doc), 0o644); err != nil {
					t.Fatal(err)
				}
				if err := os.Rename(path+".tmp", path); err != nil {
					t.Fatal(err)
				}
			}
			write(oldToken)
			cfg, err := config.Load(path, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			reloads := make(chan error, 16)
			d := startDaemonHooks(t, cfg, daemonHooks{role: rl, reload: reload.Options{
				Path: path, Getenv: func(string) string { return "" }, Interval: 50 * time.Millisecond,
				OnReload: func(err error) { reloads <- err },
			}})
			scrape := func(token string) int {
				resp, _ := d.get(t, "/metrics", map[string]string{"Authorization": "Bearer " + token})
				return resp.StatusCode
			}
			if code := scrape(oldToken); code != http.StatusOK {
				t.Fatalf("/metrics with the token at start = %d, want 200", code)
			}
			write(newToken)
			select {
			case err := <-reloads:
				if err != nil {
					t.Fatalf("reload refused: %v", err)
				}
			case <-time.After(20 * time.Second):
				t.Fatal("no reload within 20s")
			}
			for _, tc := range []struct {
				name, token string
				code        int
			}{{"old token", oldToken, http.StatusUnauthorized}, {"new token", newToken, http.StatusOK}} {
				if code := scrape(tc.token); code != tc.code {
					t.Errorf("/metrics with the %s after the reload = %d, want %d", tc.name, code, tc.code)
				}
			}
		})
	}
}
