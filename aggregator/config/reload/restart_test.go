package reload

import (
	"bytes"
	"log/slog"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/registry"
)

// TestReloader_warnRestart: settings bound at start are reported as
// needing a restart, one line per key, and nothing else is.
func TestReloader_warnRestart(t *testing.T) {
	tests := []struct {
		name string
		edit func(c *config.Config)
		want []string
	}{
		{"nothing", func(*config.Config) {}, nil},
		{"sections only", func(c *config.Config) { c.SectionConfigs = nil }, nil},
		{"listen", func(c *config.Config) { c.Listen = "127.0.0.1:9999" }, []string{"listen"}},
		{"redis and fetch", func(c *config.Config) { c.Redis.URL = "redis://x/0"; c.Fetch.Concurrency++ }, []string{"redis", "fetch"}},
		{"metrics token", func(c *config.Config) { c.Metrics.RequireToken = true }, []string{"metrics"}},
		{"secret parameters", func(c *config.Config) { c.HTTP.SecretParams = []string{"sid2"} }, []string{"http"}},
		{"admin token applies on reload", func(c *config.Config) { c.Admin.Token = "0123456789abcdef-new" }, nil},
		{"admin allow_private", func(c *config.Config) { c.Admin.AllowPrivate = true }, []string{"admin.allow_private"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			running := loadConfig(t, t.TempDir(), "listen: 127.0.0.1:8080\nbase_url: http://feeds.example.test\n"+sources)
			next := *running
			tt.edit(&next)
			var logs bytes.Buffer
			r := &Reloader{running: running, logger: slog.New(slog.NewTextHandler(&logs, nil))}
			r.warnRestart(&next)
			got := regexp.MustCompile(`needs a restart; ignored until then" key=(\S+)`).FindAllStringSubmatch(logs.String(), -1)
			var keys []string
			for _, m := range got {
				keys = append(keys, m[1])
			}
			if strings.Join(keys, ",") != strings.Join(tt.want, ",") {
				t.Errorf("restart warnings for %v, want %v; logs:\n%s", keys, tt.want, logs.String())
			}
		})
	}
}

// Editing the file's listen warns about listen alone; base_url, derived
// from it unless set, is not a second change. A base_url of its own is.
func TestReloader_warnRestartListenFromFile(t *testing.T) {
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
			dir := t.TempDir()
			running := loadConfig(t, dir, tt.before+sources)
			var logs bytes.Buffer
			r := &Reloader{running: running, logger: slog.New(slog.NewTextHandler(&logs, nil))}
			r.warnRestart(loadConfig(t, dir, tt.after+sources))
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

// sources is a config's sections with one source.
const sources = "sections:\n  - id: news\n    sources:\n      - url: https://example.com/feed.xml\n"

// loadConfig loads text as the config file in dir, with no environment.
func loadConfig(t *testing.T, dir, text string) *config.Config {
	t.Helper()
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	c, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// The registry is what the daemon hands a Reloader.
var _ Registry = (*registry.Registry)(nil)
