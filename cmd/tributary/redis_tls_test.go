package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestDaemon_redisTLS runs the daemon against a redis-server that speaks
// only TLS and requires a client certificate, reached by redis.addrs with
// redis.tls and by a rediss:// URL, and against a three-master Cluster
// speaking only TLS (clients and bus); a CA that did not sign the server's
// certificate, or no client certificate, stops the start with the reason.
func TestDaemon_redisTLS(t *testing.T) {
	tlsYAML := func(r storetest.TLSRedis, ca string, withCert bool) string {
		y := fmt.Sprintf("  tls:\n    enabled: true\n    ca_file: %s\n", ca)
		if withCert {
			y += fmt.Sprintf("    cert_file: %s\n    key_file: %s\n", r.ClientCertFile, r.ClientKeyFile)
		}
		return y
	}
	for _, tc := range []struct {
		name  string
		redis func(r storetest.TLSRedis) string
	}{
		{"addrs", func(r storetest.TLSRedis) string {
			return fmt.Sprintf("redis:\n  addrs: [%q]\n", r.Addr) + tlsYAML(r, r.CAFile, true)
		}},
		{"rediss url", func(r storetest.TLSRedis) string {
			return fmt.Sprintf("redis:\n  url: rediss://%s/0\n  tls:\n    ca_file: %s\n    cert_file: %s\n    key_file: %s\n",
				r.Addr, r.CAFile, r.ClientCertFile, r.ClientKeyFile)
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := storetest.StartRedisTLS(t, true)
			alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
			cfg := loadTLSConfig(t, tc.redis(r), alpha.srv.URL+"/feed.xml")
			if !cfg.Redis.TLSOn() {
				t.Fatal("config does not turn TLS on")
			}
			d := startDaemon(t, cfg)
			d.expectAlphaServed(t)
			if resp, _ := d.get(t, "/readyz", nil); resp.StatusCode != http.StatusOK {
				t.Errorf("/readyz = %d", resp.StatusCode)
			}
			clientTLS, err := r.ClientTLS(true)
			if err != nil {
				t.Fatal(err)
			}
			direct := redis.NewClient(&redis.Options{Addr: r.Addr, TLSConfig: clientTLS})
			defer direct.Close()
			if n, err := direct.ZCard(context.Background(), "trib:section:{news}:entries").Result(); err != nil || n != 2 {
				t.Errorf("the TLS server's section index holds %d entries (%v), want 2", n, err)
			}
		})
	}

	t.Run("cluster", func(t *testing.T) {
		addrs, r := storetest.StartClusterTLS(t)
		alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
		cfg := loadTLSConfig(t, fmt.Sprintf("redis:\n  addrs: [%s]\n  cluster: true\n", strings.Join(addrs, ", "))+tlsYAML(r, r.CAFile, false),
			alpha.srv.URL+"/feed.xml")
		startDaemon(t, cfg).expectAlphaServed(t)
		clientTLS, err := r.ClientTLS(false)
		if err != nil {
			t.Fatal(err)
		}
		direct := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs, TLSConfig: clientTLS})
		defer direct.Close()
		if n, err := direct.ZCard(context.Background(), "trib:section:{news}:entries").Result(); err != nil || n != 2 {
			t.Errorf("the TLS cluster's section index holds %d entries (%v), want 2", n, err)
		}
	})

	r := storetest.StartRedisTLS(t, true)
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"untrusted server", fmt.Sprintf("redis:\n  addrs: [%q]\n", r.Addr) + tlsYAML(r, r.OtherCAFile, true), "certificate signed by unknown authority"},
		{"no client certificate", fmt.Sprintf("redis:\n  addrs: [%q]\n", r.Addr) + tlsYAML(r, r.CAFile, false), "certificate required"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := loadTLSConfig(t, tc.yaml, "http://127.0.0.1:9/feed.xml")
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			var out, errOut bytes.Buffer
			code := run(ctx, []string{"run", "--config", cfg.Path}, &out, &errOut)
			if ctx.Err() != nil {
				t.Fatal("the daemon started against a Redis it must not trust")
			}
			if code != 1 || !strings.Contains(errOut.String(), tc.want) {
				t.Errorf("exit %d, want 1 with %q; stderr:\n%s", code, tc.want, errOut.String())
			}
		})
	}
}

// loadTLSConfig writes a config with the given redis mapping and one
// source, and loads it.
func loadTLSConfig(t *testing.T, redisYAML, feedURL string) *config.Config {
	t.Helper()
	dir := t.TempDir()
	yaml := redisYAML + "listen: 127.0.0.1:0\nbase_url: http://feeds.example.test\n" +
		"defaults:\n  schedule: \"@every 1h\"\nsections:\n  - id: news\n    title: 资讯\n    sources:\n      - url: " + feedURL + "\n"
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatalf("%v\n%s", err, yaml)
	}
	return cfg
}

// expectAlphaServed waits for the daemon's first poll, of the alpha.xml
// fixture, and checks that its two entries are stored and served.
func (d *daemon) expectAlphaServed(t *testing.T) {
	t.Helper()
	if res := d.waitPolls(t, 1)[0]; res.Err != nil || res.New != 2 {
		t.Fatalf("poll: err %v, %d new entries, want 2", res.Err, res.New)
	}
	resp, body := d.get(t, "/sections/news.atom", nil)
	if resp.StatusCode != http.StatusOK || !bytes.Contains(body, []byte("Alpha 第三条")) {
		t.Fatalf("feed %d without the polled entry:\n%s", resp.StatusCode, body)
	}
}
