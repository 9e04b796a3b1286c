package store_test

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// largeBatch is the size of TestEmbedded_LargeIngest's batch: twenty
// times what fetch.max_items lets one poll take by default.
const largeBatch = 20_000

// TestEmbedded_LargeIngest ingests a large batch at once into the embedded
// store, through a client with go-redis's default timeouts as the
// daemon's, then snapshots, restores and ingests the same batch again.
// With miniredis's TTLs on the wall clock every command sorted every key,
// so this ingest failed ("write entries: i/o timeout") and so did every
// retry; one pipeline or one script call for the whole batch outlasted
// the client's timeouts too.
func TestEmbedded_LargeIngest(t *testing.T) {
	const n = largeBatch
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "tributary.snapshot")
	e, st := startEmbedded(t, path)
	src := source("big", "news", "all")
	secs := []model.Section{section("news", 200), section("all", 1000)}
	batch := make([]model.Entry, n)
	for i := range batch {
		batch[i] = entry("big", fmt.Sprintf("big-%06d", i), i)
		batch[i].CanonicalLink = batch[i].Link
		batch[i].Content = "<p>" + strings.Repeat("content ", 8) + "</p>"
	}

	start := time.Now()
	res, err := st.Ingest(ctx, src, secs, batch, t0)
	if err != nil {
		t.Fatalf("Ingest of %d entries: %v", n, err)
	}
	t.Logf("ingested %d entries in %v", n, time.Since(start).Round(time.Millisecond))
	if res.New != n || !slices.Equal(res.ChangedSections, []string{"news", "all"}) {
		t.Errorf("result %d new, changed %v; want %d new in news and all", res.New, res.ChangedSections, n)
	}
	checkLargeSections(t, st, "first ingest")

	start = time.Now()
	if err := e.Snapshot(); err != nil {
		t.Fatal(err)
	}
	t.Logf("snapshot of %d entries in %v", n, time.Since(start).Round(time.Millisecond))
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	start = time.Now()
	_, st = startEmbedded(t, path)
	t.Logf("restored in %v", time.Since(start).Round(time.Millisecond))
	checkLargeSections(t, st, "after a restore")

	res, err = st.Ingest(ctx, src, secs, batch, t0.Add(time.Hour))
	if err != nil {
		t.Fatalf("second Ingest: %v", err)
	}
	if res.Unchanged != n || len(res.ChangedSections) != 0 {
		t.Errorf("second ingest of the same batch: %+v, want all unchanged and no section changed", res)
	}
}

// checkLargeSections checks that the sections hold the newest entries of
// the large batch.
func checkLargeSections(t *testing.T, st *store.Store, when string) {
	t.Helper()
	for _, want := range []struct {
		id     string
		n      int
		newest string
	}{{"news", 200, fmt.Sprintf("big-%06d", largeBatch-1)}, {"all", 1000, fmt.Sprintf("big-%06d", largeBatch-1)}} {
		got := sectionIDs(t, st, want.id)
		if len(got) != want.n || got[0] != want.newest || got[len(got)-1] != fmt.Sprintf("big-%06d", largeBatch-want.n) {
			t.Errorf("%s: section %s holds %d entries from %s; want the newest %d", when, want.id, len(got), got[0], want.n)
		}
	}
}

// TestEmbedded_TTLCountsDown: a key's TTL runs out on the wall clock (to
// within the clock step), so a poll lease left by a stuck poll expires.
func TestEmbedded_TTLCountsDown(t *testing.T) {
	ctx := context.Background()
	_, st := startEmbedded(t, "")
	c := st.Client()
	if err := c.Set(ctx, "lease", "x", 1500*time.Millisecond).Err(); err != nil {
		t.Fatal(err)
	}
	if n, err := c.Exists(ctx, "lease").Result(); err != nil || n != 1 {
		t.Fatalf("right after SET PX: exists = %d, %v", n, err)
	}
	start := time.Now()
	tick := time.NewTicker(20 * time.Millisecond)
	defer tick.Stop()
	for deadline := start.Add(10 * time.Second); ; <-tick.C {
		n, err := c.Exists(ctx, "lease").Result()
		if err != nil {
			t.Fatal(err)
		}
		if n == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("a key with a 1.5 s TTL still exists after 10 s")
		}
	}
	if took := time.Since(start); took < time.Second {
		t.Errorf("a key with a 1.5 s TTL expired after %v", took)
	}
}
