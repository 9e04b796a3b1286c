package main

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// Editing the file's listen warns about listen alone; base_url, derived
// from it unless set, is not a second change. A base_url of its own is.
func TestReloader_warnRestartListenFromFile(t *testing.T) {
	const sources = "sections:\n  - id: news\n    sources:\n      - url: https://example.com/feed.xml\n"
	tests := []struct {
		name, before, after string
		want                []string
	}{
		{"listen, base_url derived", "listen: 127.0.0.1:8080\n", "listen: 127.0.0.1:9090\n", []string{"listen"}},
		{"listen, base_url set", "listen: 127.0.0.1:8080\nbase_url: https://feeds.example.com\n", "listen: 127.0.0.1:9090\nbase_url: https://feeds.example.com\n", []string{"listen"}},
		{"base_url set", "listen: 127.0.0.1:8080\n", "listen: 127.0.0.1:8080\nbase_url: https://feeds.example.com\n", []string{"base_url"}},
		{"both", "listen: 127.0.0.1:8080\nbase_url: https://a.example.com\n", "listen: 127.0.0.1:9090\nbase_url: https://b.example.com\n", []string{"listen", "base_url"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "tributary.yaml")
			load := func(text string) *config.Config {
				if err := os.WriteFile(path, []byte(text+sources), 0o644); err != nil {
					t.Fatal(err)
				}
				c, err := config.Load(path, func(string) string { return "" })
				if err != nil {
					t.Fatal(err)
				}
				return c
			}
			running := load(tt.before)
			var logs bytes.Buffer
			r := &reloader{running: running, logger: slog.New(slog.NewTextHandler(&logs, nil))}
			r.warnRestart(load(tt.after))
			var keys []string
			for _, m := range regexp.MustCompile(`needs a restart; ignored until then" key=(\S+)`).FindAllStringSubmatch(logs.String(), -1) {
				keys = append(keys, m[1])
			}
			if strings.Join(keys, ",") != strings.Join(tt.want, ",") {
				t.Errorf("restart warnings for %v, want %v; logs:\n%s", keys, tt.want, logs.String())
			}
		})
	}
}
