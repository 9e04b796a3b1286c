package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// t0 is the fixed "now" of the first ingest in every test.
var t0 = time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// forEachBackend runs fn against a fresh store on every backend, a Redis
// Cluster included (shared by the package's tests, see TestMain).
func forEachBackend(t *testing.T, fn func(t *testing.T, st *store.Store, rec *recorder)) {
	t.Helper()
	for _, b := range append(storetest.Backends(), storetest.ClusterBackend()) {
		t.Run(b.Name, func(t *testing.T) {
			client := b.Start(t)
			rec := &recorder{}
			client.AddHook(storetest.CommandHook(rec.add))
			fn(t, store.New(client, "", discard()), rec)
		})
	}
}

// entry builds an entry of source src published at the given hour offset
// from 2024-04-01.
func entry(src, id string, hour int) model.Entry {
	pub := time.Date(2024, 4, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(hour) * time.Hour)
	return model.Entry{
		ID: id, SourceID: src, Title: "title " + id, Link: "https://example.org/" + id,
		Published: pub, Updated: pub, FirstSeen: t0,
	}
}

// entries builds n entries of src with ids <src>-<i> at hours first..first+n-1.
func entries(src string, first, n int) []model.Entry {
	out := make([]model.Entry, n)
	for i := range n {
		out[i] = entry(src, fmt.Sprintf("%s-%03d", src, first+i), first+i)
	}
	return out
}

func loadFixture(t *testing.T) []model.Entry {
	t.Helper()
	data, err := os.ReadFile("testdata/entries.json")
	if err != nil {
		t.Fatal(err)
	}
	var out []model.Entry
	if err := json.Unmarshal(data, &out); err != nil {
		t.Fatal(err)
	}
	return out
}

func ids(es []model.Entry) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// newestFirst returns the ids of es sorted by Published, newest first.
func newestFirst(es []model.Entry) []string {
	s := slices.Clone(es)
	slices.SortStableFunc(s, func(a, b model.Entry) int { return b.Published.Compare(a.Published) })
	return ids(s)
}

func source(id string, sections ...string) model.Source {
	return model.Source{ID: id, URL: "https://example.org/" + id + ".xml", SectionIDs: sections}
}

func section(id string, maxItems int, sources ...string) model.Section {
	return model.Section{ID: id, MaxItems: maxItems, SourceIDs: sources}
}

func mustIngest(t *testing.T, st *store.Store, src model.Source, secs []model.Section, es []model.Entry, now time.Time) store.IngestResult {
	t.Helper()
	res, err := st.Ingest(context.Background(), src, secs, es, now)
	if err != nil {
		t.Fatalf("Ingest: %v", err)
	}
	return res
}

func sectionIDs(t *testing.T, st *store.Store, id string) []string {
	t.Helper()
	es, err := st.SectionEntries(context.Background(), id, 0)
	if err != nil {
		t.Fatalf("SectionEntries(%s): %v", id, err)
	}
	return ids(es)
}

func meta(t *testing.T, st *store.Store, id string) model.SectionMeta {
	t.Helper()
	m, err := st.SectionMeta(context.Background(), id)
	if err != nil {
		t.Fatalf("SectionMeta(%s): %v", id, err)
	}
	return m
}

func assertEqual[T any](t *testing.T, what string, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %+v\n want %+v", what, got, want)
	}
}

// recorder is a go-redis hook listing the commands sent, to prove what an
// operation did (or did not) write.
type recorder struct {
	mu   sync.Mutex
	cmds []string
}

func (r *recorder) add(cmds ...redis.Cmder) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range cmds {
		r.cmds = append(r.cmds, c.Name())
	}
}

// reset clears the log and returns what it held.
func (r *recorder) reset() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.cmds
	r.cmds = nil
	return out
}

// assertUntouched fails when fn modifies any of keys, using WATCH: a
// transaction watching them fails if anything wrote to them meanwhile.
// That catches a write even when it leaves the value as it was (ZADD then
// trim of the same member), on every backend. Each key gets its own WATCH,
// nested, since on a Cluster one WATCH cannot span slots.
func assertUntouched(t *testing.T, client redis.UniversalClient, keys []string, fn func()) {
	t.Helper()
	if len(keys) == 0 {
		fn()
		return
	}
	ctx := context.Background()
	err := client.Watch(ctx, func(tx *redis.Tx) error {
		assertUntouched(t, client, keys[1:], fn)
		_, err := tx.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.Ping(ctx)
			return nil
		})
		return err
	}, keys[0])
	if errors.Is(err, redis.TxFailedErr) {
		t.Errorf("key %s was written", keys[0])
	} else if err != nil {
		t.Fatalf("watch %s: %v", keys[0], err)
	}
}
