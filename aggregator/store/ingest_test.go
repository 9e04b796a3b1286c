package store_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func TestStore_Ingest_New(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		fixture := loadFixture(t)
		res := mustIngest(t, st, source("src-a", "news"), []model.Section{section("news", 10)}, fixture, t0)
		assertEqual(t, "result", res, store.IngestResult{New: 5, ChangedSections: []string{"news"}})

		got, err := st.SectionEntries(ctx, "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		want := slices.Clone(fixture)
		slices.SortStableFunc(want, func(a, b model.Entry) int { return b.Published.Compare(a.Published) })
		assertEqual(t, "section entries", got, want)

		src, err := st.SourceEntries(ctx, "src-a", 2)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "source entries (limit 2)", ids(src), ids(want[:2]))
		assertEqual(t, "meta", meta(t, st, "news"), model.SectionMeta{Version: 1, UpdatedAt: t0})
		assertEqual(t, "absent section meta", meta(t, st, "nope"), model.SectionMeta{})
	})
}

func TestStore_Ingest_Idempotent(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, rec *recorder) {
		secs := []model.Section{section("news", 10)}
		fixture := loadFixture(t)
		mustIngest(t, st, source("src-a", "news"), secs, fixture, t0)
		before := sectionIDs(t, st, "news")
		rec.reset()

		again := slices.Clone(fixture)
		for i := range again {
			again[i].FirstSeen = t0.Add(time.Hour) // what normalize sets on a re-poll
			if again[i].NoDate {
				again[i].Published, again[i].Updated = again[i].FirstSeen, again[i].FirstSeen
			}
		}
		watched := []string{st.Keys().SectionEntries("news"), st.Keys().SectionMeta("news"), st.Keys().SourceEntries("src-a")}
		for _, e := range fixture {
			watched = append(watched, st.Keys().Entry(e.ID))
		}
		var res store.IngestResult
		assertUntouched(t, st.Client(), watched, func() {
			res = mustIngest(t, st, source("src-a", "news"), secs, again, t0.Add(time.Hour))
		})
		assertEqual(t, "second result", res, store.IngestResult{Unchanged: 5})
		cmds := rec.reset()
		if !slices.Contains(cmds, "get") {
			t.Fatalf("recorder saw no GET: %v", cmds)
		}
		for _, c := range cmds {
			if slices.Contains([]string{"set", "zadd", "zrem", "del", "hincrby", "hset", "publish"}, c) {
				t.Errorf("re-ingest sent write command %q", c)
			}
		}
		assertEqual(t, "meta", meta(t, st, "news"), model.SectionMeta{Version: 1, UpdatedAt: t0})
		assertEqual(t, "section", sectionIDs(t, st, "news"), before)
	})
}

func TestStore_Ingest_EditedEntry(t *testing.T) {
	t1 := t0.Add(2 * time.Hour)
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		secs := []model.Section{section("news", 10)}
		orig := entries("a", 0, 3)
		mustIngest(t, st, source("a", "news"), secs, orig, t0)

		edited := slices.Clone(orig)
		edited[1].Title = "corrected title"
		edited[1].FirstSeen = t1
		res := mustIngest(t, st, source("a", "news"), secs, edited, t1)
		assertEqual(t, "result", res, store.IngestResult{Updated: 1, Unchanged: 2, ChangedSections: []string{"news"}})

		got, err := st.SectionEntries(ctx, "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "ids", ids(got), []string{"a-002", "a-001", "a-000"})
		e := got[1]
		assertEqual(t, "title", e.Title, "corrected title")
		assertEqual(t, "updated bumped to now", e.Updated, t1)
		assertEqual(t, "first seen kept", e.FirstSeen, t0)
		assertEqual(t, "published kept", e.Published, orig[1].Published)
		assertEqual(t, "meta", meta(t, st, "news"), model.SectionMeta{Version: 2, UpdatedAt: t1})
	})
}

func TestStore_Ingest_NoDateKeepsFirstPublished(t *testing.T) {
	undated := func(now time.Time, title string) []model.Entry {
		return []model.Entry{{ID: "u1", SourceID: "a", Title: title,
			Published: now, Updated: now, FirstSeen: now, NoDate: true}}
	}
	t1, t2 := t0.Add(time.Hour), t0.Add(2*time.Hour)
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		secs := []model.Section{section("news", 10)}
		mustIngest(t, st, source("a", "news"), secs, undated(t0, "x"), t0)

		res := mustIngest(t, st, source("a", "news"), secs, undated(t1, "x"), t1)
		assertEqual(t, "re-poll result", res, store.IngestResult{Unchanged: 1})
		got, err := st.SectionEntries(ctx, "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "entries after re-poll", got, undated(t0, "x"))

		res = mustIngest(t, st, source("a", "news"), secs, undated(t2, "y"), t2)
		assertEqual(t, "edit result", res, store.IngestResult{Updated: 1, ChangedSections: []string{"news"}})
		got, err = st.SectionEntries(ctx, "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		want := undated(t0, "y")
		want[0].Updated = t2
		assertEqual(t, "entries after edit", got, want)
		assertEqual(t, "meta", meta(t, st, "news").Version, int64(2))
	})
}

func TestStore_Ingest_SectionTrim(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("news", 3)}
		batch := entries("a", 0, 5)
		mustIngest(t, st, source("a", "news"), secs, batch, t0)
		assertEqual(t, "section keeps newest", sectionIDs(t, st, "news"), []string{"a-004", "a-003", "a-002"})

		src, err := st.SourceEntries(context.Background(), "a", 0)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "source keeps all", ids(src), newestFirst(batch))

		// The two trimmed entries are still in the feed: re-ingesting must
		// neither re-add them (not even briefly) nor count as a change.
		var res store.IngestResult
		assertUntouched(t, st.Client(), []string{st.Keys().SectionEntries("news")}, func() {
			res = mustIngest(t, st, source("a", "news"), secs, batch, t0.Add(time.Hour))
		})
		assertEqual(t, "re-ingest result", res, store.IngestResult{Unchanged: 5})
		assertEqual(t, "meta", meta(t, st, "news"), model.SectionMeta{Version: 1, UpdatedAt: t0})
	})
}

func TestStore_Ingest_OldNewEntryNotAdded(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("news", 3)}
		batch := entries("a", 10, 3)
		mustIngest(t, st, source("a", "news"), secs, batch, t0)

		older := append(slices.Clone(batch), entry("a", "a-old", 1))
		res := mustIngest(t, st, source("a", "news"), secs, older, t0.Add(time.Hour))
		assertEqual(t, "result", res, store.IngestResult{New: 1, Unchanged: 3})
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"a-012", "a-011", "a-010"})
		assertEqual(t, "meta version", meta(t, st, "news").Version, int64(1))

		newer := append(slices.Clone(older), entry("a", "a-new", 20))
		res = mustIngest(t, st, source("a", "news"), secs, newer, t0.Add(2*time.Hour))
		assertEqual(t, "newer result", res, store.IngestResult{New: 1, Unchanged: 4, ChangedSections: []string{"news"}})
		assertEqual(t, "section after newer", sectionIDs(t, st, "news"), []string{"a-new", "a-012", "a-011"})
		assertEqual(t, "meta version after newer", meta(t, st, "news").Version, int64(2))
	})
}

func TestStore_Ingest_MergesSources(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		news := section("news", 10, "a", "b")
		a := []model.Entry{entry("a", "a0", 0), entry("a", "a2", 2), entry("a", "a4", 4)}
		b := []model.Entry{entry("b", "b1", 1), entry("b", "b3", 3), entry("b", "b5", 5)}
		resA := mustIngest(t, st, source("a", "news"), []model.Section{news}, a, t0)
		resB := mustIngest(t, st, source("b", "news"), []model.Section{news}, b, t0.Add(time.Minute))
		assertEqual(t, "changed by a", resA.ChangedSections, []string{"news"})
		assertEqual(t, "changed by b", resB.ChangedSections, []string{"news"})
		assertEqual(t, "merged", sectionIDs(t, st, "news"), []string{"b5", "a4", "b3", "a2", "b1", "a0"})
		assertEqual(t, "meta", meta(t, st, "news"), model.SectionMeta{Version: 2, UpdatedAt: t0.Add(time.Minute)})
	})
}

func TestStore_Ingest_SourceTrim(t *testing.T) {
	tests := []struct {
		name        string
		srcSections []string
		wantKept    bool // whether the 10 oldest entry keys survive
	}{
		{"unheld entries deleted", []string{"news"}, false},
		{"entries held by another section kept", []string{"news", "archive"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
				ctx := context.Background()
				src := source("a", tt.srcSections...)
				news := section("news", 3)
				first := entries("a", 0, store.MinSourceEntries)
				firstSecs := []model.Section{news}
				if tt.wantKept {
					firstSecs = append(firstSecs, section("archive", 500))
				}
				mustIngest(t, st, src, firstSecs, first, t0)
				mustIngest(t, st, src, []model.Section{news}, entries("a", 100, 10), t0.Add(time.Hour))

				srcEntries, err := st.SourceEntries(ctx, "a", 0)
				if err != nil {
					t.Fatal(err)
				}
				assertEqual(t, "source size", len(srcEntries), store.MinSourceEntries)
				assertEqual(t, "oldest kept in source", srcEntries[len(srcEntries)-1].ID, "a-010")
				for _, e := range first[:10] {
					err := st.Client().Get(ctx, st.Keys().Entry(e.ID)).Err()
					if gone := err == redis.Nil; gone == tt.wantKept {
						t.Errorf("entry %s: GET err = %v, want kept=%v", e.ID, err, tt.wantKept)
					}
				}
				if tt.wantKept {
					assertEqual(t, "archive readable", len(sectionIDs(t, st, "archive")), store.MinSourceEntries)
				}
			})
		})
	}
}

func TestStore_SectionEntries_SkipsMissing(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		mustIngest(t, st, source("a", "news"), []model.Section{section("news", 10)}, entries("a", 0, 4), t0)
		if err := st.Client().Del(ctx, st.Keys().Entry("a-002")).Err(); err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"a-003", "a-001", "a-000"})
		got, err := st.SectionEntries(ctx, "news", 2)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "limited", ids(got), []string{"a-003"})
	})
}

func TestStore_Ingest_Rejects(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, rec *recorder) {
		bad := []model.Entry{entry("a", "a1", 1), {Title: "no id"}}
		_, err := st.Ingest(context.Background(), source("a", "news"), []model.Section{section("news", 10)}, bad, t0)
		if err == nil {
			t.Fatal("Ingest accepted an entry without id")
		}
		if cmds := rec.reset(); len(cmds) != 0 {
			t.Errorf("rejected ingest sent commands %v", cmds)
		}
	})
}

func TestStore_Ingest_DuplicateIDsInBatch(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		dup := entry("a", "a1", 1)
		dup.Title = "second copy"
		res := mustIngest(t, st, source("a", "news"), []model.Section{section("news", 10)},
			[]model.Entry{entry("a", "a1", 1), dup}, t0)
		assertEqual(t, "result", res, store.IngestResult{New: 1, ChangedSections: []string{"news"}})
		got, err := st.SectionEntries(context.Background(), "news", 0)
		if err != nil {
			t.Fatal(err)
		}
		assertEqual(t, "first wins", got, []model.Entry{entry("a", "a1", 1)})
	})
}

// TestStore_Ingest_AfterScriptFlush covers a Redis that lost its script
// cache (restart, failover, new Cluster node): the pipelined EVALSHA fails
// with NOSCRIPT and must fall back to EVAL.
func TestStore_Ingest_AfterScriptFlush(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		secs := []model.Section{section("news", 10), section("all", 10)}
		mustIngest(t, st, source("a", "news", "all"), secs, entries("a", 0, 2), t0)
		if err := st.Client().ScriptFlush(context.Background()).Err(); err != nil {
			t.Fatal(err)
		}
		res := mustIngest(t, st, source("a", "news", "all"), secs, entries("a", 0, 3), t0.Add(time.Hour))
		assertEqual(t, "result", res, store.IngestResult{New: 1, Unchanged: 2, ChangedSections: []string{"news", "all"}})
		assertEqual(t, "all", sectionIDs(t, st, "all"), []string{"a-002", "a-001", "a-000"})
	})
}

func TestStore_Ingest_LowerMaxItems(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		batch := entries("a", 0, 5)
		mustIngest(t, st, source("a", "news"), []model.Section{section("news", 5)}, batch, t0)
		res := mustIngest(t, st, source("a", "news"), []model.Section{section("news", 3)}, batch, t0.Add(time.Hour))
		assertEqual(t, "result", res, store.IngestResult{Unchanged: 5, ChangedSections: []string{"news"}})
		assertEqual(t, "section", sectionIDs(t, st, "news"), []string{"a-004", "a-003", "a-002"})
		assertEqual(t, "meta", meta(t, st, "news"), model.SectionMeta{Version: 2, UpdatedAt: t0.Add(time.Hour)})
	})
}
