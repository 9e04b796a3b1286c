package storeopen

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// TestNewRedisClient checks each configured mode gets its kind of client
// and that the log line names the mode but never the password. Creating a
// client does not connect, so the addresses need not exist.
func TestNewRedisClient(t *testing.T) {
	tests := []struct {
		name        string
		redis       config.RedisConfig
		wantCluster bool
		wantAddr    string // plain clients: the address they dial
		wantDB      int
		wantLog     string
		wantErr     string
	}{
		{name: "url", redis: config.RedisConfig{URL: "redis://u:hunter2@cache.internal:6390/3"},
			wantAddr: "cache.internal:6390", wantDB: 3, wantLog: "mode=url"},
		{name: "single addr", redis: config.RedisConfig{Addrs: []string{"cache.internal:6391"}, Password: "hunter2", DB: 2},
			wantAddr: "cache.internal:6391", wantDB: 2, wantLog: "mode=single"},
		{name: "cluster", redis: config.RedisConfig{Addrs: []string{"a:7000", "b:7001"}, Cluster: true, Password: "hunter2"},
			wantCluster: true, wantLog: "mode=cluster"},
		{name: "cluster with one seed", redis: config.RedisConfig{Addrs: []string{"cfg:7000"}, Cluster: true},
			wantCluster: true, wantLog: "mode=cluster"},
		{name: "sentinel", redis: config.RedisConfig{Addrs: []string{"s1:26379", "s2:26379"}, MasterName: "mymaster",
			Password: "hunter2", SentinelPassword: "hunter2", DB: 1}, wantAddr: "FailoverClient", wantDB: 1, wantLog: "mode=sentinel addrs=\"[s1:26379 s2:26379]\" master_name=mymaster"},
		{name: "bad url", redis: config.RedisConfig{URL: "redis://u:hunter2@[::1"}, wantErr: "redis.url: not a valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var logs bytes.Buffer
			client, err := NewRedisClient(tt.redis, slog.New(slog.NewTextHandler(&logs, nil)))
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("err = %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			defer client.Close()
			if strings.Contains(logs.String(), "hunter2") || !strings.Contains(logs.String(), tt.wantLog) {
				t.Errorf("log %q: want %q and no password", logs.String(), tt.wantLog)
			}
			switch c := client.(type) {
			case *redis.ClusterClient:
				if !tt.wantCluster {
					t.Fatalf("got a ClusterClient")
				}
			case *redis.Client:
				// A failover client is a *redis.Client whose Addr names it.
				if tt.wantCluster || c.Options().Addr != tt.wantAddr || c.Options().DB != tt.wantDB {
					t.Fatalf("got a plain client for %s db %d, want addr %q db %d", c.Options().Addr, c.Options().DB, tt.wantAddr, tt.wantDB)
				}
			default:
				t.Fatalf("unexpected client %T", client)
			}
		})
	}
}
