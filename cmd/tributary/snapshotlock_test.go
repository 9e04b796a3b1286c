package main

import (
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// embeddedConfig writes a config on the embedded store whose snapshot is
// snapshot, with the given source URLs, and loads it.
func embeddedConfig(t *testing.T, dir, snapshot string, urls ...string) *config.Config {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "listen: 127.0.0.1:0\nstorage:\n  snapshot: %s\n  snapshot_interval: 1h\ndefaults:\n  schedule: \"@every 1h\"\nsections:\n  - id: news\n    sources:\n", snapshot)
	for _, u := range urls {
		fmt.Fprintf(&b, "      - url: %s\n", u)
	}
	path := filepath.Join(dir, "tributary.yaml")
	writeFile(t, path, b.String())
	cfg, err := config.Load(path, nil)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// TestFetch_refusedWhileDaemonHoldsSnapshot: fetch on the embedded store
// fails fast while a daemon runs on the same snapshot, saying what to do;
// sources (read-only) still works; once the daemon is gone fetch runs.
func TestFetch_refusedWhileDaemonHoldsSnapshot(t *testing.T) {
	src := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha"})
	dir := t.TempDir()
	snap := filepath.Join(dir, "tributary.snapshot")
	cfg := embeddedConfig(t, dir, snap, src.srv.URL+"/feed.xml")
	d := startDaemon(t, cfg)

	start := time.Now()
	code, stdout, stderr := runCLI(t, "fetch", "--config", cfg.Path)
	want := fmt.Sprintf("tributary fetch: the snapshot %s is held by a running daemon (pid %d); use the admin API (POST /api/v1/admin/sources/{id}/poll) or stop the daemon\n", snap, os.Getpid())
	if code != exitError || stderr != want || stdout != "" {
		t.Errorf("fetch beside a daemon: exit %d\nstdout %q\nstderr %q\nwant   %q", code, stdout, stderr, want)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("refusal took %v, want fast", took)
	}
	before, _ := os.ReadFile(snap)
	if code, stdout, stderr := runCLI(t, "sources", "--config", cfg.Path); code != exitOK || !strings.Contains(stdout, src.srv.URL) {
		t.Errorf("sources beside a daemon: exit %d\n%s%s", code, stdout, stderr)
	}
	if after, _ := os.ReadFile(snap); string(after) != string(before) {
		t.Error("sources wrote the daemon's snapshot")
	}

	d.shutdown(t)
	code, stdout, stderr = runCLI(t, "fetch", "--config", cfg.Path)
	if code != exitOK || !strings.Contains(stdout, "1 sources: ") || !strings.Contains(stdout, " 0 failed, 0 skipped") {
		t.Errorf("fetch after the daemon stopped: exit %d\n%s%s", code, stdout, stderr)
	}
}

// A second daemon on the same snapshot does not start.
func TestDaemon_refusesHeldSnapshot(t *testing.T) {
	dir := t.TempDir()
	cfg := embeddedConfig(t, dir, filepath.Join(dir, "tributary.snapshot"), "https://a.example.com/feed.xml")
	startDaemon(t, cfg)
	err := runDaemon(t.Context(), cfg, slog.New(slog.DiscardHandler), daemonHooks{})
	if err == nil || !strings.Contains(err.Error(), "is held by a running daemon (pid ") || !strings.Contains(err.Error(), "give this daemon its own storage.snapshot") {
		t.Fatalf("second daemon: %v", err)
	}
}

// TestReadyz_snapshotNotWritable: /readyz answers 503 naming the
// snapshot while its directory cannot be written, and 200 once it can;
// check says the same at once.
func TestReadyz_snapshotNotWritable(t *testing.T) {
	tests := []struct {
		name        string
		skipAsRoot  bool
		break_, fix func(t *testing.T, dir string)
		wantCheck   string
	}{
		{"missing directory", false,
			func(t *testing.T, dir string) {},
			func(t *testing.T, dir string) {
				if err := os.Mkdir(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}, "no such file or directory"},
		{"read-only directory", true,
			func(t *testing.T, dir string) {
				if err := os.Mkdir(dir, 0o555); err != nil {
					t.Fatal(err)
				}
			},
			func(t *testing.T, dir string) {
				if err := os.Chmod(dir, 0o755); err != nil {
					t.Fatal(err)
				}
			}, "permission denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.skipAsRoot && os.Geteuid() == 0 {
				t.Skip("chmod does not stop root")
			}
			base := t.TempDir()
			state := filepath.Join(base, "state")
			snap := filepath.Join(state, "tributary.snapshot")
			tt.break_(t, state)
			cfg := embeddedConfig(t, base, snap, "https://a.example.com/feed.xml")

			code, _, stderr := runCLI(t, "check", "--config", cfg.Path)
			wantCheck := fmt.Sprintf("%s: storage.snapshot: directory %s is not writable by uid %d: %s", cfg.Path, state, os.Geteuid(), tt.wantCheck)
			if code != exitError || !strings.HasPrefix(stderr, wantCheck) {
				t.Errorf("check: exit %d %q, want prefix %q", code, stderr, wantCheck)
			}

			d := startDaemonHooks(t, cfg, daemonHooks{snapshotCheck: 20 * time.Millisecond})
			resp, body := d.get(t, "/readyz", nil)
			if want := "not ready: snapshot " + snap + " not writable\n"; resp.StatusCode != 503 || string(body) != want {
				t.Errorf("/readyz = %d %q, want 503 %q", resp.StatusCode, body, want)
			}
			tt.fix(t, state)
			waitFor(t, func() bool { resp, _ := d.get(t, "/readyz", nil); return resp.StatusCode == 200 })
			if code, stdout, stderr := runCLI(t, "check", "--config", cfg.Path); code != exitOK {
				t.Errorf("check after the fix: exit %d %s%s", code, stdout, stderr)
			}
			// Writable again, the daemon holds the snapshot: fetch is refused.
			if code, _, stderr := runCLI(t, "fetch", "--config", cfg.Path); code != exitError || !strings.Contains(stderr, "is held by a running daemon") {
				t.Errorf("fetch after the fix: exit %d %s", code, stderr)
			}
			d.shutdown(t)
			if _, err := os.Stat(snap); err != nil {
				t.Errorf("no final snapshot after the fix: %v", err)
			}
		})
	}
}
