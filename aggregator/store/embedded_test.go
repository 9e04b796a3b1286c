package store_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func startEmbedded(t *testing.T, path string) (*store.Embedded, *store.Store) {
	t.Helper()
	e, err := store.StartEmbedded(path, discard())
	if err != nil {
		t.Fatalf("StartEmbedded: %v", err)
	}
	t.Cleanup(func() { _ = e.Close() })
	c := redis.NewClient(e.ClientOptions())
	t.Cleanup(func() { _ = c.Close() })
	return e, store.New(c, "", discard())
}

func TestEmbedded_SnapshotRoundTrip(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tributary.snapshot")
	e, st := startEmbedded(t, path)
	secs := []model.Section{section("news", 10)}
	mustIngest(t, st, source("src-a", "news"), secs, loadFixture(t), t0)
	state := model.SourceState{URL: "u", ETag: `"e"`, LastSuccess: t0, ErrorsInRow: 1}
	if err := st.SaveSourceState(ctx, "src-a", state); err != nil {
		t.Fatal(err)
	}
	// A key with a TTL: the snapshot must restore the expiry too.
	if err := st.Client().Set(ctx, st.Keys().SourceLock("src-a"), "token", time.Hour).Err(); err != nil {
		t.Fatal(err)
	}
	if err := st.Client().Set(ctx, "binary", "\xff\xfe\x00raw", 0).Err(); err != nil {
		t.Fatal(err)
	}
	wantEntries, err := st.SectionEntries(ctx, "news", 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}

	e2, st2 := startEmbedded(t, path)
	if err := e2.RestoreError(); err != nil {
		t.Fatalf("RestoreError = %v", err)
	}
	gotEntries, err := st2.SectionEntries(ctx, "news", 0)
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "section entries", gotEntries, wantEntries)
	assertEqual(t, "meta", meta(t, st2, "news"), model.SectionMeta{Version: 1, UpdatedAt: t0})
	gotState, err := st2.SourceState(ctx, "src-a")
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "state", gotState, state)
	bin, err := st2.Client().Get(ctx, "binary").Result()
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "binary value", bin, "\xff\xfe\x00raw")
	pttl, err := st2.Client().PTTL(ctx, st2.Keys().SourceLock("src-a")).Result()
	if err != nil || pttl <= 50*time.Minute || pttl > time.Hour {
		t.Errorf("restored lease PTTL = %v, %v; want about 1h", pttl, err)
	}
	// Ingest on the restored store sees the entries as known.
	res := mustIngest(t, st2, source("src-a", "news"), secs, loadFixture(t), t0.Add(time.Hour))
	assertEqual(t, "re-ingest after restore", res, store.IngestResult{Unchanged: 5})
}

func TestEmbedded_CorruptSnapshot(t *testing.T) {
	valid := validSnapshot(t)
	tests := []struct {
		name string
		data func() []byte
	}{
		{"checksum mismatch", func() []byte {
			b := []byte(strings.Clone(valid))
			b[len(b)-5] ^= 0x01
			return b
		}},
		{"truncated", func() []byte { return []byte(valid[:len(valid)/2]) }},
		{"not a snapshot", func() []byte { return []byte("PK\x03\x04 definitely a zip") }},
		{"unknown version", func() []byte {
			return []byte(strings.Replace(valid, "tributary-snapshot 1 ", "tributary-snapshot 9 ", 1))
		}},
		{"empty file", func() []byte { return nil }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "tributary.snapshot")
			data := tt.data()
			if err := os.WriteFile(path, data, 0o600); err != nil {
				t.Fatal(err)
			}
			e, st := startEmbedded(t, path)
			if err := e.RestoreError(); !errors.Is(err, store.ErrSnapshotCorrupt) {
				t.Fatalf("RestoreError = %v, want ErrSnapshotCorrupt", err)
			}
			if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
				t.Errorf("corrupt file still at %s (stat err %v)", path, err)
			}
			aside, _ := filepath.Glob(path + ".corrupt-*")
			if len(aside) != 1 {
				t.Fatalf("set-aside files = %v, want one", aside)
			}
			kept, err := os.ReadFile(aside[0])
			if err != nil || string(kept) != string(data) {
				t.Errorf("set-aside content differs (err %v)", err)
			}
			if n, err := st.Client().DBSize(context.Background()).Result(); err != nil || n != 0 {
				t.Errorf("DBSIZE = %d, %v; want empty store", n, err)
			}
		})
	}
}

// validSnapshot returns the bytes of a snapshot holding a few entries.
func validSnapshot(t *testing.T) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "s")
	e, st := startEmbedded(t, path)
	mustIngest(t, st, source("a", "news"), []model.Section{section("news", 10)}, entries("a", 0, 3), t0)
	if err := e.Snapshot(); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestEmbedded_GoldenV1(t *testing.T) {
	data, err := os.ReadFile("testdata/golden-v1.snapshot")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "tributary.snapshot")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	e, st := startEmbedded(t, path)
	if err := e.RestoreError(); err != nil {
		t.Fatalf("RestoreError = %v", err)
	}
	ctx := context.Background()
	got, err := st.SectionEntries(ctx, "news", 0)
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "ids", ids(got), []string{"e2", "e1"})
	assertEqual(t, "title", got[1].Title, "第一条")
	assertEqual(t, "meta", meta(t, st, "news"), model.SectionMeta{Version: 3, UpdatedAt: t0})
	if n, _ := st.Client().Exists(ctx, "trib:lock:source:gone").Result(); n != 0 {
		t.Error("key expired in the snapshot was restored")
	}
	members, err := st.Client().SMembers(ctx, "tags").Result()
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "set", members, []string{"x"})
	list, err := st.Client().LRange(ctx, "queue", 0, -1).Result()
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "list", list, []string{"first", "second"})
	bin, err := st.Client().Get(ctx, "bin").Result()
	if err != nil {
		t.Fatal(err)
	}
	assertEqual(t, "base64 value", bin, "\xff\xfe\x00raw")
}

func TestEmbedded_Snapshot_Atomic(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "tributary.snapshot")
	e, st := startEmbedded(t, path)
	mustIngest(t, st, source("a", "news"), []model.Section{section("news", 10)}, entries("a", 0, 3), t0)
	for range 3 {
		if err := e.Snapshot(); err != nil {
			t.Fatal(err)
		}
	}
	assertEqual(t, "dir after snapshots", dirNames(t, dir), []string{"tributary.snapshot"})

	// A target that cannot be replaced (a non-empty directory) makes the
	// rename fail: the temp file must not be left behind.
	blocked := filepath.Join(dir, "blocked")
	if err := os.MkdirAll(filepath.Join(blocked, "x"), 0o755); err != nil {
		t.Fatal(err)
	}
	eb := embeddedAt(t, blocked)
	if err := eb.Snapshot(); err == nil {
		t.Fatal("Snapshot over a directory succeeded")
	}
	assertEqual(t, "dir after failed snapshot", dirNames(t, dir), []string{"blocked", "tributary.snapshot"})
}

// embeddedAt starts an Embedded whose snapshot path is taken by a directory
// only after start, so restore succeeds and Snapshot fails.
func embeddedAt(t *testing.T, blocked string) *store.Embedded {
	t.Helper()
	tmp := blocked + ".away"
	if err := os.Rename(blocked, tmp); err != nil {
		t.Fatal(err)
	}
	e, err := store.StartEmbedded(blocked, discard())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	if err := os.Rename(tmp, blocked); err != nil {
		t.Fatal(err)
	}
	return e
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, d := range des {
		names = append(names, d.Name())
	}
	return names
}

func TestStartEmbedded_UnreadableSnapshotFails(t *testing.T) {
	dir := t.TempDir() // a directory where the snapshot file should be
	if _, err := store.StartEmbedded(dir, discard()); err == nil {
		t.Fatal("StartEmbedded succeeded on an unreadable snapshot; it must not start empty and overwrite it")
	}
}

func TestEmbedded_NoPersistence(t *testing.T) {
	e, st := startEmbedded(t, "")
	mustIngest(t, st, source("a", "news"), []model.Section{section("news", 10)}, entries("a", 0, 1), t0)
	if err := e.Snapshot(); err != nil {
		t.Fatalf("Snapshot with no path = %v", err)
	}
	if err := e.Close(); err != nil {
		t.Fatalf("Close = %v", err)
	}
}

func TestEmbedded_Run(t *testing.T) {
	path := filepath.Join(t.TempDir(), "tributary.snapshot")
	e, st := startEmbedded(t, path)
	mustIngest(t, st, source("a", "news"), []model.Section{section("news", 10)}, entries("a", 0, 1), t0)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { e.Run(ctx, 10*time.Millisecond); close(done) }()

	deadline := time.Now().Add(5 * time.Second)
	for {
		if _, err := os.Stat(path); err == nil {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("no periodic snapshot within 5s")
		}
		select {
		case <-time.After(5 * time.Millisecond):
		case <-done:
			t.Fatal("Run returned early")
		}
	}
	cancel()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancel")
	}
}
