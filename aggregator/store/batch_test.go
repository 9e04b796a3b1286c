package store_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// roundTrips is a go-redis hook noting the largest pipeline and the
// largest command sent.
type roundTrips struct {
	mu          sync.Mutex
	maxPipeline int
	maxArgs     int
	maxArgsName string
}

func (r *roundTrips) note(cmds ...redis.Cmder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.maxPipeline = max(r.maxPipeline, len(cmds))
	for _, c := range cmds {
		if n := len(c.Args()); n > r.maxArgs {
			r.maxArgs, r.maxArgsName = n, c.Name()
		}
	}
}

// TestStore_IngestBoundedRoundTrips: however large the batch, an ingest
// sends no pipeline of more than BatchSize commands and no command with
// more than BatchSize items (a section script call takes 5 arguments an
// item), so no single round trip can outlast the client's timeouts. The
// batch relinks, trims and reindexes, so every step of an ingest runs.
func TestStore_IngestBoundedRoundTrips(t *testing.T) {
	const n = 3*store.BatchSize + 17
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			client := b.Start(t)
			rt := &roundTrips{}
			client.AddHook(storetest.CommandHook(rt.note))
			st := store.New(client, "", discard())
			src := source("big", "news", "all")
			secs := []model.Section{section("news", 100), section("all", 200)}
			batch := func(first int, guid string) []model.Entry {
				out := make([]model.Entry, n)
				for i := range out {
					out[i] = entry("big", fmt.Sprintf("%s-%05d", guid, first+i), first+i)
					out[i].CanonicalLink = fmt.Sprintf("https://example.org/story/%d", first+i)
				}
				return out
			}
			mustIngest(t, st, src, secs, batch(0, "a"), t0)
			// New guids for the same links (relinked), then a batch that
			// pushes the first out of the source index (trimmed).
			mustIngest(t, st, src, secs, batch(0, "b"), t0)
			src.SectionIDs = []string{"news"} // new rules: held entries reindexed
			mustIngest(t, st, src, secs[:1], batch(2*n, "c"), t0)
			if got := sectionIDs(t, st, "news"); len(got) != 100 || got[0] != fmt.Sprintf("c-%05d", 3*n-1) {
				t.Errorf("news holds %d entries from %v, want the newest 100 of the last batch", len(got), got[:1])
			}
			t.Logf("largest pipeline %d commands, largest command %d arguments (%s)", rt.maxPipeline, rt.maxArgs, rt.maxArgsName)
			if rt.maxPipeline > store.BatchSize {
				t.Errorf("a pipeline of %d commands, want at most %d", rt.maxPipeline, store.BatchSize)
			}
			// 17 fixed arguments: evalsha, the sha, numkeys, five keys,
			// five script arguments and four of review.
			if limit := 5*store.BatchSize + 17; rt.maxArgs > limit {
				t.Errorf("a %s of %d arguments, want at most %d", rt.maxArgsName, rt.maxArgs, limit)
			}
		})
	}
}

// An ingest stops at the next batch once its context is done (the daemon
// is shutting down) and says why.
func TestStore_IngestStopsWithContext(t *testing.T) {
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			client := b.Start(t)
			rt := &recorder{}
			client.AddHook(storetest.CommandHook(rt.add))
			st := store.New(client, "", discard())
			ctx, cancel := context.WithCancel(context.Background())
			cancel()
			_, err := st.Ingest(ctx, source("a", "news"), []model.Section{section("news", 10)}, entries("a", 0, 3*store.BatchSize), t0)
			if !errors.Is(err, context.Canceled) {
				t.Errorf("Ingest with a done context = %v, want context.Canceled", err)
			}
			if sent := rt.reset(); len(sent) > 0 {
				t.Errorf("sent %d commands after the context was done: %v", len(sent), sent[:min(5, len(sent))])
			}
		})
	}
}
