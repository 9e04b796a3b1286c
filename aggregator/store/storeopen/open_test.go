package storeopen

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// The embedded store's address is in the log, and any local user can
// connect to 127.0.0.1: every way a command opens the store must hand its
// client the per-run password, and the log must never show it.
func TestOpen_embeddedNeedsPassword(t *testing.T) {
	tests := []struct {
		name string
		open func(*config.Config, *slog.Logger) (*store.Store, func(), error)
	}{
		{"daemon and fetch", Open},
		{"sources and opml export", OpenReadOnly},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := embeddedConfig(t)
			var logs bytes.Buffer
			logger := slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
			st, closeStore, err := tt.open(cfg, logger)
			if err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()
			if err := st.Ping(ctx); err != nil {
				t.Fatalf("the store's own client: %v", err)
			}
			addr := loggedStoreAddr(t, logs.Bytes())
			plain := redis.NewClient(&redis.Options{Addr: addr, MaxRetries: -1})
			err = plain.Ping(ctx).Err()
			plain.Close()
			if err == nil || !strings.Contains(err.Error(), "NOAUTH") {
				t.Errorf("a client without the password at %s: %v, want NOAUTH", addr, err)
			}
			pw := st.Client().(*redis.Client).Options().Password
			closeStore()
			if len(pw) < 26 {
				t.Fatalf("store client password %q: want 26+ random characters", pw)
			}
			if bytes.Contains(logs.Bytes(), []byte(pw)) {
				t.Errorf("the log shows the embedded store's password:\n%s", logs.Bytes())
			}
		})
	}
}

// loggedStoreAddr is the address the "embedded redis started" record gives.
func loggedStoreAddr(t *testing.T, logs []byte) string {
	t.Helper()
	for line := range bytes.Lines(logs) {
		var rec struct {
			Msg  string `json:"msg"`
			Addr string `json:"addr"`
		}
		if json.Unmarshal(line, &rec) == nil && rec.Msg == "embedded redis started" {
			return rec.Addr
		}
	}
	t.Fatalf("no embedded redis address in the log:\n%s", logs)
	return ""
}

// embeddedConfig is a config of the embedded store with its snapshot in
// a directory of the test's own.
func embeddedConfig(t *testing.T) *config.Config {
	t.Helper()
	dir := t.TempDir()
	yaml := "storage:\n  snapshot: " + filepath.Join(dir, "tributary.snapshot") + "\n  snapshot_interval: 1h\n" +
		"sections:\n  - id: news\n    sources:\n      - url: http://127.0.0.1:1/feed.xml\n"
	cfg, err := config.Parse(filepath.Join(dir, "tributary.yaml"), []byte(yaml), func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}
