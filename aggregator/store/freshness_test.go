package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// beijing is the zone a bureau's days are counted in.
var beijing = time.FixedZone("CST", 8*3600)

const day = 24 * time.Hour

// dated is an entry of src published at pub.
func dated(src, id string, pub time.Time) model.Entry {
	return model.Entry{ID: id, SourceID: src, Title: "title " + id, Link: "https://example.org/" + id,
		Published: pub.UTC(), Updated: pub.UTC(), FirstSeen: pub.UTC()}
}

func freshnessOf(t *testing.T, st *store.Store, src model.Source) model.Freshness {
	t.Helper()
	got, err := st.SourceStatuses(context.Background(), []model.Source{src})
	if err != nil {
		t.Fatal(err)
	}
	return got[0].Freshness
}

func activityOf(t *testing.T, st *store.Store, id string) model.Activity {
	t.Helper()
	got, err := st.SourceActivity(context.Background(), []string{id})
	if err != nil {
		t.Fatal(err)
	}
	return got[0]
}

// TestStore_IngestFreshness: each ingest keeps the newest entry (never
// lowered, never one dated far ahead), the first success, and the new
// entries per day in the section's zone; ingesting the same feed again
// counts nothing.
func TestStore_IngestFreshness(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		src := source("school", "news")
		secs := []model.Section{{ID: "news", MaxItems: 100, SourceIDs: []string{"school"}, Location: beijing}}
		now := time.Date(2025, 3, 31, 9, 0, 0, 0, beijing)
		// 2025-03-30 23:30 in Beijing is the 30th there, the 30th in UTC
		// too; 2025-03-31 00:30 is the 31st there but the 30th in UTC.
		feed := []model.Entry{
			dated("school", "e1", time.Date(2025, 3, 30, 23, 30, 0, 0, beijing)),
			dated("school", "e2", time.Date(2025, 3, 31, 0, 30, 0, 0, beijing)),
			dated("school", "e3", time.Date(2025, 3, 2, 10, 0, 0, 0, beijing)),
			dated("school", "old", now.AddDate(0, 0, -200)),
			// A typo dating an item next year is no proof of life.
			dated("school", "typo", now.AddDate(1, 0, 0)),
		}
		mustIngest(t, st, src, secs, feed, now)
		f := freshnessOf(t, st, src)
		if want := feed[1].Published; !f.LastEntry.Equal(want) {
			t.Errorf("LastEntry = %v, want %v (the newest not dated ahead)", f.LastEntry, want)
		}
		if !f.FirstSeen.Equal(now) {
			t.Errorf("FirstSeen = %v, want %v", f.FirstSeen, now)
		}
		want := model.Activity{"2025-03-30": 1, "2025-03-31": 1, "2025-03-02": 1}
		assertEqual(t, "activity", activityOf(t, st, "school"), want)

		// The same feed a day later: nothing new, nothing counted; an
		// older entry found now does not lower the newest.
		later := now.Add(day)
		mustIngest(t, st, src, secs, append(feed, dated("school", "e0", now.AddDate(0, 0, -3))), later)
		want["2025-03-28"] = 1
		assertEqual(t, "activity after re-ingest", activityOf(t, st, "school"), want)
		f = freshnessOf(t, st, src)
		if !f.LastEntry.Equal(feed[1].Published) || !f.FirstSeen.Equal(now) {
			t.Errorf("after re-ingest: LastEntry %v, FirstSeen %v; want %v, %v", f.LastEntry, f.FirstSeen, feed[1].Published, now)
		}

		// Trimming the index (retention) never lowers the newest entry.
		if err := st.Client().ZRem(ctx, st.Keys().SourceEntries("school"), "e2", "e1").Err(); err != nil {
			t.Fatal(err)
		}
		if f := freshnessOf(t, st, src); !f.LastEntry.Equal(feed[1].Published) {
			t.Errorf("after trimming: LastEntry = %v, want %v", f.LastEntry, feed[1].Published)
		}

		// An entry slightly ahead (a zone mistake) counts as published at
		// its ingest.
		soon := dated("school", "soon", later.Add(3*time.Hour))
		mustIngest(t, st, src, secs, []model.Entry{soon}, later)
		if f := freshnessOf(t, st, src); !f.LastEntry.Equal(later) {
			t.Errorf("LastEntry = %v, want the ingest time %v", f.LastEntry, later)
		}
	})
}

// TestStore_IngestFreshnessWindow: the daily counts keep the last
// model.ActivityDays days; older fields go as the hash is written.
func TestStore_IngestFreshnessWindow(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		src := source("school", "news")
		secs := []model.Section{{ID: "news", MaxItems: 100, SourceIDs: []string{"school"}, Location: beijing}}
		start := time.Date(2025, 1, 1, 12, 0, 0, 0, beijing)
		mustIngest(t, st, src, secs, []model.Entry{dated("school", "jan", start)}, start)
		later := start.AddDate(0, 0, model.ActivityDays)
		mustIngest(t, st, src, secs, []model.Entry{dated("school", "apr", later)}, later)
		assertEqual(t, "activity", activityOf(t, st, "school"), model.Activity{model.ActivityDay(later, beijing): 1})
		ttl, err := st.Client().TTL(context.Background(), st.Keys().SourceActivity("school")).Result()
		if err != nil || ttl <= 0 {
			t.Errorf("activity TTL = %v, %v; want one set", ttl, err)
		}
	})
}

// forgetFreshness makes a source's keys look as a store written before
// freshness was kept: its entries and state, no freshness fields, no
// activity.
func forgetFreshness(t *testing.T, st *store.Store, id string) {
	t.Helper()
	ctx := context.Background()
	c := st.Client()
	if err := c.HDel(ctx, st.Keys().SourceState(id), "newest_entry", "first_seen", "stale_alerted").Err(); err != nil {
		t.Fatal(err)
	}
	if err := c.Del(ctx, st.Keys().SourceActivity(id)).Err(); err != nil {
		t.Fatal(err)
	}
}

// TestStore_FreshnessBackfill: entries stored before the store kept
// freshness give the source a newest entry (read-only on status reads,
// written once by the next ingest) and daily counts, without counting the
// batch that triggers the backfill twice.
func TestStore_FreshnessBackfill(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		src := source("school", "news")
		secs := []model.Section{{ID: "news", MaxItems: 100, SourceIDs: []string{"school"}, Location: beijing}}
		now := time.Date(2025, 3, 31, 9, 0, 0, 0, beijing)
		old := []model.Entry{
			dated("school", "a", now.AddDate(0, 0, -40)),
			dated("school", "b", now.AddDate(0, 0, -20)),
			dated("school", "c", now.AddDate(0, 0, -200)),
		}
		mustIngest(t, st, src, secs, old, now.AddDate(0, 0, -20))
		forgetFreshness(t, st, "school")

		// A status read finds the newest stored entry and writes nothing.
		if f := freshnessOf(t, st, src); !f.LastEntry.Equal(old[1].Published) {
			t.Errorf("LastEntry before backfill = %v, want %v", f.LastEntry, old[1].Published)
		}
		if n, _ := st.Client().HExists(ctx, st.Keys().SourceState("school"), "newest_entry").Result(); n {
			t.Error("a status read wrote newest_entry")
		}

		// The next ingest backfills once: the old entries of the window
		// counted by their days, its own new entry once.
		fresh := dated("school", "d", now.Add(-time.Hour))
		mustIngest(t, st, src, secs, append(old, fresh), now)
		if f := freshnessOf(t, st, src); !f.LastEntry.Equal(fresh.Published) {
			t.Errorf("LastEntry = %v, want %v", f.LastEntry, fresh.Published)
		}
		want := model.Activity{
			model.ActivityDay(old[0].Published, beijing): 1,
			model.ActivityDay(old[1].Published, beijing): 1,
			model.ActivityDay(fresh.Published, beijing):  1,
		}
		assertEqual(t, "activity", activityOf(t, st, "school"), want)
		mustIngest(t, st, src, secs, append(old, fresh), now.Add(time.Hour))
		assertEqual(t, "activity after another poll", activityOf(t, st, "school"), want)
	})
}

// pollAt writes a poll of src's state at now and returns the freshness
// crossing it decided.
func pollAt(t *testing.T, st *store.Store, src model.Source, now time.Time, succeeded bool) string {
	t.Helper()
	ctx := context.Background()
	prev, err := st.SourceState(ctx, src.ID)
	if err != nil {
		t.Fatal(err)
	}
	next := prev
	next.URL, next.LastAttempt = src.URL, now
	if succeeded {
		next.LastSuccess, next.ErrorsInRow, next.LastError = now, 0, ""
	} else {
		next.ErrorsInRow, next.LastError = next.ErrorsInRow+1, "HTTP 503"
	}
	chk := model.FreshnessCheck{Now: now, StaleAfter: src.StaleAfter, Succeeded: succeeded, Zone: beijing}
	c, err := st.SavePollFreshness(ctx, src.ID, prev, next, model.PollRecord{Time: now}, chk)
	if err != nil {
		t.Fatal(err)
	}
	return c.To
}

func staleCount(t *testing.T, st *store.Store) int64 {
	t.Helper()
	counts, err := st.SourceStateCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return counts[model.FreshnessStale]
}

// TestStore_SavePollFreshness: with a fake clock, a source whose newest
// entry passes 14 days crosses to stale at the first poll after (a 304 or
// a failed poll as well), once; the poll after it publishes again crosses
// back, once; the stale count follows.
func TestStore_SavePollFreshness(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		src := source("school", "news")
		secs := []model.Section{{ID: "news", MaxItems: 100, SourceIDs: []string{"school"}, Location: beijing}}
		t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, beijing)
		mustIngest(t, st, src, secs, []model.Entry{dated("school", "a", t0)}, t0)
		steps := []struct {
			at        time.Time
			succeeded bool
			want      string
			count     int64
		}{
			{t0, true, "", 0},
			{t0.Add(7 * day), true, "", 0},
			{t0.Add(14 * day), true, "", 0},
			{t0.Add(14*day + time.Minute), true, model.FreshnessStale, 1},
			{t0.Add(15 * day), true, "", 1},
			{t0.Add(16 * day), false, "", 1},
		}
		for i, s := range steps {
			if i == 3 {
				// Redis lost its scripts (a restart, SCRIPT FLUSH): the
				// crossing is still decided and written.
				if err := st.Client().ScriptFlush(context.Background()).Err(); err != nil {
					t.Fatal(err)
				}
			}
			if got := pollAt(t, st, src, s.at, s.succeeded); got != s.want {
				t.Errorf("step %d (%v): crossing %q, want %q", i, s.at.Sub(t0), got, s.want)
			}
			if n := staleCount(t, st); n != s.count {
				t.Errorf("step %d: stale count %d, want %d", i, n, s.count)
			}
		}
		// The script wrote the poll's state and its history as SavePoll does.
		state, err := st.SourceState(context.Background(), "school")
		if err != nil || state.ErrorsInRow != 1 || state.LastError != "HTTP 503" || !state.LastAttempt.Equal(t0.Add(16*day)) {
			t.Errorf("state after the failed poll: %+v, %v", state, err)
		}
		if polls, err := st.PollHistory(context.Background(), "school", 0); err != nil || len(polls) != len(steps) {
			t.Errorf("history holds %d polls (%v), want %d", len(polls), err, len(steps))
		}
		back := t0.Add(20 * day)
		mustIngest(t, st, src, secs, []model.Entry{dated("school", "b", back.Add(-time.Hour))}, back)
		if got := pollAt(t, st, src, back, true); got != model.FreshnessFresh {
			t.Errorf("after publishing again: crossing %q, want fresh", got)
		}
		if got := pollAt(t, st, src, back.Add(time.Hour), true); got != "" {
			t.Errorf("the poll after: crossing %q, want none", got)
		}
		if n := staleCount(t, st); n != 0 {
			t.Errorf("stale count %d, want 0", n)
		}
	})
}

// TestStore_SavePollFreshnessCases: sources never having had an entry,
// with thresholds of their own, and stored before freshness was kept.
func TestStore_SavePollFreshnessCases(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, beijing)
	secs := []model.Section{{ID: "news", MaxItems: 100, SourceIDs: []string{"school"}, Location: beijing}}
	tests := []struct {
		name  string
		setup func(t *testing.T, st *store.Store, src model.Source)
		own   time.Duration
		polls []time.Duration
		want  []string
	}{
		{name: "never an entry: stale once known longer than the threshold",
			setup: func(t *testing.T, st *store.Store, src model.Source) { mustIngest(t, st, src, secs, nil, t0) },
			polls: []time.Duration{0, 10 * day, 14*day + time.Second, 15 * day},
			want:  []string{"", "", model.FreshnessStale, ""}},
		{name: "never polled with success: not judged",
			polls: []time.Duration{30 * day}, want: []string{""}},
		{name: "own threshold of 30 days",
			setup: func(t *testing.T, st *store.Store, src model.Source) {
				mustIngest(t, st, src, secs, []model.Entry{dated("school", "a", t0)}, t0)
			},
			own: 30 * day, polls: []time.Duration{20 * day, 31 * day}, want: []string{"", model.FreshnessStale}},
		{name: "entries stored before freshness was kept, already stale: one event",
			setup: func(t *testing.T, st *store.Store, src model.Source) {
				mustIngest(t, st, src, secs, []model.Entry{dated("school", "a", t0)}, t0)
				forgetFreshness(t, st, "school")
			},
			polls: []time.Duration{40 * day, 41 * day}, want: []string{model.FreshnessStale, ""}},
		{name: "entries stored before freshness was kept, fresh: no event",
			setup: func(t *testing.T, st *store.Store, src model.Source) {
				mustIngest(t, st, src, secs, []model.Entry{dated("school", "a", t0)}, t0)
				forgetFreshness(t, st, "school")
			},
			polls: []time.Duration{2 * day, 3 * day}, want: []string{"", ""}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			st := store.New(storetest.StartEmbedded(t), "", discard())
			src := source("school", "news")
			src.StaleAfter = tt.own
			if tt.setup != nil {
				tt.setup(t, st, src)
			}
			for i, d := range tt.polls {
				if got := pollAt(t, st, src, t0.Add(d), tt.setup != nil); got != tt.want[i] {
					t.Errorf("poll at +%v: crossing %q, want %q", d, got, tt.want[i])
				}
			}
		})
	}
}

// TestStore_SavePollFreshnessOnce: two instances (two clients of one real
// redis-server) writing polls of the same stale source at once announce
// the crossing exactly once between them.
func TestStore_SavePollFreshnessOnce(t *testing.T) {
	addr := storetest.StartRedis(t)
	a := store.New(storetest.NewClient(t, addr), "", discard())
	b := store.New(storetest.NewClient(t, addr), "", discard())
	src := source("school", "news")
	secs := []model.Section{{ID: "news", MaxItems: 100, SourceIDs: []string{"school"}, Location: beijing}}
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, beijing)
	for round := range 20 {
		id := fmt.Sprintf("school-%d", round)
		src.ID = id
		mustIngest(t, a, src, secs, []model.Entry{dated(id, id+"-a", t0)}, t0)
		if round%2 == 1 {
			forgetFreshness(t, a, id) // the backfill races too
		}
		now := t0.Add(15 * day)
		var mu sync.Mutex
		var crossings []string
		var wg sync.WaitGroup
		for i := range 8 {
			st := a
			if i%2 == 1 {
				st = b
			}
			wg.Go(func() {
				chk := model.FreshnessCheck{Now: now, Succeeded: true, Zone: beijing}
				c, err := st.SavePollFreshness(context.Background(), id, model.SourceState{}, model.SourceState{URL: src.URL, LastAttempt: now},
					model.PollRecord{Time: now}, chk)
				if err != nil {
					t.Error(err)
					return
				}
				if c.To != "" {
					mu.Lock()
					crossings = append(crossings, c.To)
					mu.Unlock()
				}
			})
		}
		wg.Wait()
		if len(crossings) != 1 || crossings[0] != model.FreshnessStale {
			t.Fatalf("round %d: crossings %v, want exactly one stale", round, crossings)
		}
	}
	if n := staleCount(t, a); n != 20 {
		t.Errorf("stale count %d, want 20", n)
	}
}

// TestStore_RecountStale: the periodic recount sets the stale count from
// what the polls decided.
func TestStore_RecountStale(t *testing.T) {
	st := store.New(storetest.StartEmbedded(t), "", discard())
	ctx := context.Background()
	src := source("school", "news")
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, beijing)
	mustIngest(t, st, src, nil, []model.Entry{dated("school", "a", t0)}, t0)
	pollAt(t, st, src, t0.Add(20*day), true)
	if err := st.Client().HSet(ctx, st.Keys().SourceStateCounts(), model.FreshnessStale, 7).Err(); err != nil {
		t.Fatal(err)
	}
	if err := st.RecountSourceStates(ctx, []model.Source{src, source("other", "news")}); err != nil {
		t.Fatal(err)
	}
	if n := staleCount(t, st); n != 1 {
		t.Errorf("stale count after recount %d, want 1", n)
	}
}
