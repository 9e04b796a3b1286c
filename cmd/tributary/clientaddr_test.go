package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// TestDaemon_trustedProxies: http.trusted_proxies reaches the limit of
// wrong admin tokens on every role: behind a trusted proxy (here the
// test's own loopback address) each client X-Forwarded-For names has its
// own count, a client locked out stays locked out whatever it writes on
// the left of the header, and without trusted proxies the header is
// ignored.
func TestDaemon_trustedProxies(t *testing.T) {
	const token = "trusted-proxies-token-0123456789"
	tests := []struct {
		name    string
		role    role
		proxies string
		path    string
		// other is the answer to another forwarded client with the
		// right token once 203.0.113.5 is locked out.
		other int
	}{
		{"admin API behind a trusted proxy", roleAll, "[127.0.0.1/32]", "/api/v1/admin/sources", http.StatusOK},
		{"admin API, no trusted proxy", roleAll, "[]", "/api/v1/admin/sources", http.StatusTooManyRequests},
		{"poll-only /metrics behind a trusted proxy", rolePoll, "[127.0.0.1]", "/metrics", http.StatusOK},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "tributary.yaml")
			src := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha"})
			doc := fmt.Sprintf("listen: 127.0.0.1:0\nbase_url: http://feeds.example.test\nstorage:\n  snapshot: %s\n"+
				"http:\n  trusted_proxies: %s\nadmin:\n  token: %s\nmetrics:\n  require_token: true\n"+
				"defaults:\n  schedule: \"@every 1h\"\nsections:\n  - id: news\n    sources:\n      - url: %s\n",
				filepath.Join(dir, "tributary.snapshot"), tt.proxies, token, src.srv.URL+"/feed.xml")
			if err := os.WriteFile(path, []byte(doc), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := config.Load(path, func(string) string { return "" })
			if err != nil {
				t.Fatal(err)
			}
			d := startDaemonHooks(t, cfg, daemonHooks{role: tt.role})
			try := func(tok, xff string) int {
				resp, _ := d.get(t, tt.path, map[string]string{"Authorization": "Bearer " + tok, "X-Forwarded-For": xff})
				return resp.StatusCode
			}
			for i := range 5 {
				if code := try("wrong", fmt.Sprintf("192.0.2.%d, 203.0.113.5", i)); code != http.StatusUnauthorized {
					t.Fatalf("wrong token %d: %d, want 401", i+1, code)
				}
			}
			if code := try(token, "198.51.100.1, 203.0.113.5"); code != http.StatusTooManyRequests {
				t.Errorf("the locked-out client with the right token: %d, want 429", code)
			}
			if code := try(token, "203.0.113.6"); code != tt.other {
				t.Errorf("another forwarded client with the right token: %d, want %d", code, tt.other)
			}
		})
	}
}
