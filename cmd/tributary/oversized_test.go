package main

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// oversizedItems is the item count of the oversized feed: a hundred times
// what fetch.max_items takes by default.
const oversizedItems = 100_000

// A source serving 10 MB of 100,000 items, on the embedded store: the poll
// stores the newest 1,000 (fetch.max_items), SIGTERM while a snapshot is
// being written ends the process with code 0 within shutdownGrace, and
// the snapshot it leaves restores them. Before the limits, every poll of
// such a feed failed with "write entries: i/o timeout" at 85–90% CPU and
// SIGTERM took minutes, so under systemd or Kubernetes the final snapshot
// was lost to SIGKILL.
func TestBinary_OversizedFeedSIGTERM(t *testing.T) {
	bin := buildBinary(t)
	body := oversizedFeed(oversizedItems)
	if len(body) < 9<<20 || len(body) > 10<<20 {
		t.Fatalf("feed is %d bytes, want about 10 MB (and within the default fetch.max_body_bytes)", len(body))
	}
	var served atomic.Int64
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		served.Add(1)
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = w.Write(body)
	}))
	t.Cleanup(src.Close)
	dir := t.TempDir()
	snapshot := filepath.Join(dir, "tributary.snapshot")
	cfgPath := filepath.Join(dir, "tributary.yaml")
	cfg := fmt.Sprintf(`listen: 127.0.0.1:0
storage:
  snapshot: %s
  snapshot_interval: 1s
defaults:
  schedule: "@every 1h"
sections:
  - id: news
    max_items: 50
    sources:
      - url: %s
`, snapshot, src.URL)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}

	start := time.Now()
	cmd, addr, logs := startBinary(t, bin, cfgPath)
	newest := fmt.Sprintf("item %d", oversizedItems-1)
	waitForWithin(t, 2*time.Minute, func() bool {
		titles, err := fetchTitles(addr, "news")
		return err == nil && titles[newest]
	})
	t.Logf("a feed of %d bytes, %d items: its newest item served %v after start", len(body), oversizedItems, time.Since(start).Round(time.Millisecond))
	if l := logs.String(); strings.Contains(l, "poll failed") {
		t.Fatalf("a poll failed:\n%s", l)
	}

	waitSnapshotWrite(t, dir)
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := waitExit(t, cmd, shutdownGrace)
	t.Logf("exited %v after SIGTERM (sent while a snapshot was being written)", exited.Round(time.Millisecond))
	if l := logs.String(); strings.Contains(l, "level=ERROR") {
		t.Errorf("errors logged:\n%s", l)
	}
	if n := served.Load(); n != 1 {
		t.Errorf("the feed was fetched %d times, want once", n)
	}
	checkOversizedSnapshot(t, snapshot, model.SourceID(src.URL), newest)
}

// oversizedFeed is an RSS feed of n items of about 100 bytes, oldest
// first, so the newest are the last of the document. Item links are
// relative to the channel's.
func oversizedFeed(n int) []byte {
	var b strings.Builder
	b.WriteString(`<?xml version="1.0"?><rss version="2.0"><channel><title>oversized</title><link>http://big.example/</link>`)
	first := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		fmt.Fprintf(&b, "<item><title>item %d</title><link>/%d</link><pubDate>%s</pubDate></item>\n",
			i, i, first.Add(time.Duration(i)*time.Minute).Format(time.RFC3339))
	}
	b.WriteString(`</channel></rss>`)
	return []byte(b.String())
}

// waitSnapshotWrite waits until a periodic snapshot is being written (its
// temp file exists), so the signal lands during one.
func waitSnapshotWrite(t *testing.T, dir string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if tmp, _ := filepath.Glob(filepath.Join(dir, "*.tmp-*")); len(tmp) > 0 {
			return
		}
	}
	t.Log("no snapshot temp file caught within 30s; signalling between snapshots")
}

// waitExit waits for cmd to exit with code 0 within limit and returns how
// long it took.
func waitExit(t *testing.T, cmd *exec.Cmd, limit time.Duration) time.Duration {
	t.Helper()
	start := time.Now()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("exit: %v (want code 0)", err)
		}
		return time.Since(start)
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		t.Fatalf("still running %v after SIGTERM", limit)
	}
	return 0
}

// checkOversizedSnapshot restores the snapshot the daemon left and checks
// it holds the poll: the source's newest fetch.max_items entries, the
// newest of all in the section.
func checkOversizedSnapshot(t *testing.T, path, sourceID, newest string) {
	t.Helper()
	e, err := store.StartEmbedded(path, nil)
	if err != nil {
		t.Fatalf("restore the snapshot: %v", err)
	}
	defer e.Close()
	if err := e.RestoreError(); err != nil {
		t.Fatalf("restore the snapshot: %v", err)
	}
	client := redis.NewClient(e.ClientOptions())
	defer client.Close()
	st := store.New(client, "", nil)
	ctx := context.Background()
	n, err := client.ZCard(ctx, st.Keys().SourceEntries(sourceID)).Result()
	if err != nil || n != 1000 {
		t.Errorf("restored source index holds %d entries (%v), want the 1000 newest of the feed", n, err)
	}
	entries, err := st.SectionEntries(ctx, "news", 0)
	if err != nil || len(entries) != 50 || entries[0].Title != newest {
		t.Errorf("restored section: %d entries (%v), want 50 starting with %q", len(entries), err, newest)
	}
}

// SIGTERM while a poll hangs on a source that never finishes its answer:
// the poll is given the grace less storeReserve, then cancelled, and the
// process still exits 0 within shutdownGrace with its snapshot written.
// Polls used to get the whole grace, and the snapshot came after it.
func TestBinary_SIGTERMDuringHungPoll(t *testing.T) {
	bin := buildBinary(t)
	started := make(chan struct{}, 1)
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = fmt.Fprint(w, `<?xml version="1.0"?><rss version="2.0"><channel><title>slow</title>`)
		w.(http.Flusher).Flush()
		select {
		case started <- struct{}{}:
		default:
		}
		<-r.Context().Done() // the rest never comes
	}))
	t.Cleanup(src.Close)
	dir := t.TempDir()
	snapshot := filepath.Join(dir, "tributary.snapshot")
	cfgPath := filepath.Join(dir, "tributary.yaml")
	cfg := fmt.Sprintf(`listen: 127.0.0.1:0
storage:
  snapshot: %s
  snapshot_interval: 1h
fetch:
  timeout: 10m
defaults:
  schedule: "@every 1h"
sections:
  - id: news
    sources:
      - url: %s
`, snapshot, src.URL)
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd, _, logs := startBinary(t, bin, cfgPath)
	select {
	case <-started:
	case <-time.After(30 * time.Second):
		t.Fatalf("the source was not polled within 30s; logs:\n%s", logs.String())
	}
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	exited := waitExit(t, cmd, shutdownGrace)
	t.Logf("exited %v after SIGTERM with a poll hanging", exited.Round(time.Millisecond))
	if exited < shutdownGrace-storeReserve {
		t.Errorf("exited after %v: the hanging poll was not given its %v", exited, shutdownGrace-storeReserve)
	}
	if fi, err := os.Stat(snapshot); err != nil || fi.Size() == 0 {
		t.Errorf("snapshot after shutdown: %v (size %d)", err, sizeOf(fi))
	}
}
