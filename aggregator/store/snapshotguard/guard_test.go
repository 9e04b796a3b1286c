package snapshotguard

import (
	"errors"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func configOf(redisURL, snapshot string) *config.Config {
	return &config.Config{Redis: config.RedisConfig{URL: redisURL}, Storage: config.StorageConfig{Snapshot: snapshot}}
}

// A daemon's guard keeps fetch off the snapshot until it releases it.
func TestGuard_holdsTheLock(t *testing.T) {
	cfg := configOf("", filepath.Join(t.TempDir(), "t.snapshot"))
	g, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil || g == nil {
		t.Fatalf("New = %v, %v", g, err)
	}
	if err := g.Err(); err != nil {
		t.Errorf("Err = %v on a writable directory", err)
	}
	var held *store.HeldError
	if _, err := LockForWrite(cfg); !errors.As(err, &held) || !strings.Contains(err.Error(), "POST /api/v1/admin/sources/{id}/poll") {
		t.Errorf("LockForWrite while held: %v, want a HeldError saying what to do", err)
	}
	if _, err := New(cfg, slog.New(slog.DiscardHandler)); !errors.As(err, &held) {
		t.Errorf("a second guard: %v, want a HeldError", err)
	}
	g.Release()
	release, err := LockForWrite(cfg)
	if err != nil {
		t.Fatalf("LockForWrite after Release: %v", err)
	}
	release()
}

// An unwritable directory is reported, not refused: the daemon serves
// what it has while readiness fails.
func TestGuard_unwritableDirectory(t *testing.T) {
	cfg := configOf("", filepath.Join(t.TempDir(), "missing", "t.snapshot"))
	g, err := New(cfg, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	defer g.Release()
	var nw *store.NotWritableError
	if !errors.As(g.Err(), &nw) {
		t.Errorf("Err = %v, want a NotWritableError", g.Err())
	}
	if err := CheckWritable(cfg); err == nil || !strings.HasPrefix(err.Error(), "storage.snapshot: ") {
		t.Errorf("CheckWritable = %v", err)
	}
}

// A Redis store, or an embedded one without a snapshot, has nothing to
// guard.
func TestGuard_nothingToGuard(t *testing.T) {
	for _, cfg := range []*config.Config{configOf("redis://127.0.0.1:1/0", "/nonexistent/t.snapshot"), configOf("", "")} {
		g, err := New(cfg, nil)
		if g != nil || err != nil {
			t.Errorf("New = %v, %v; want nil, nil", g, err)
		}
		if g.Err() != nil || g.Path() != "" {
			t.Error("a nil Guard reports something")
		}
		g.Release()
		release, err := LockForWrite(cfg)
		if err != nil {
			t.Fatal(err)
		}
		release()
		if err := CheckWritable(cfg); err != nil {
			t.Errorf("CheckWritable = %v", err)
		}
	}
}
