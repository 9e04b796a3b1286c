package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestStore_SourceStateCounts: the per-state counts follow polls, pauses
// and re-enables as they happen, a steady poll leaves them alone, and a
// recount from the full states puts drift right.
func TestStore_SourceStateCounts(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
		ok := model.SourceState{URL: "u", LastAttempt: now}
		failing := ok
		failing.ErrorsInRow = 2
		gone := ok
		gone.Gone = true
		want := func(step string, okN, failingN, goneN, pausedN int64) {
			t.Helper()
			got, err := st.SourceStateCounts(ctx)
			if err != nil {
				t.Fatal(err)
			}
			w := map[string]int64{model.StateOK: okN, model.StateFailing: failingN, model.StateGone: goneN, model.StatePaused: pausedN}
			for k, v := range w {
				if got[k] != v {
					t.Errorf("%s: %v, want %v", step, got, w)
					return
				}
			}
		}
		save := func(id string, prev, next model.SourceState) {
			t.Helper()
			if err := st.SaveSourceTransition(ctx, id, prev, next); err != nil {
				t.Fatal(err)
			}
		}
		save("a", model.SourceState{}, ok)
		save("b", model.SourceState{}, ok)
		save("c", model.SourceState{}, failing)
		want("first polls", 2, 1, 0, 0)
		save("a", ok, ok)
		save("c", failing, failing)
		want("steady polls", 2, 1, 0, 0)
		save("b", ok, gone)
		save("c", failing, ok)
		want("b gone, c recovered", 2, 0, 1, 0)
		if err := st.PauseSource(ctx, "a", true); err != nil {
			t.Fatal(err)
		}
		want("a paused", 1, 0, 1, 1)
		if err := st.ReenableSource(ctx, "a"); err != nil {
			t.Fatal(err)
		}
		if err := st.ReenableSource(ctx, "b"); err != nil {
			t.Fatal(err)
		}
		want("a and b re-enabled", 3, 0, 0, 0)

		// c leaves the config: only a recount forgets it.
		srcs := []model.Source{{ID: "a", URL: "u"}, {ID: "b", URL: "u"}}
		if err := st.RecountSourceStates(ctx, srcs); err != nil {
			t.Fatal(err)
		}
		want("recount without c", 2, 0, 0, 0)
	})
}

// TestStore_RecountMatchesStatuses: a recount over more sources than one
// round trip reads counts each state as the full statuses do, across the
// chunk boundaries, sources never polled and gone sources whose URL
// changed included.
func TestStore_RecountMatchesStatuses(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", discard())
	ctx := context.Background()
	now := time.Date(2026, 12, 1, 8, 0, 0, 0, time.UTC)
	n := 2*store.RecountChunk + 7
	srcs := make([]model.Source, n)
	for i := range srcs {
		srcs[i] = model.Source{ID: fmt.Sprintf("s%d", i), URL: "u"}
		var state model.SourceState
		switch i % 6 {
		case 0: // never polled: no state at all
			continue
		case 1:
			state = model.SourceState{URL: "u", LastAttempt: now}
		case 2:
			state = model.SourceState{URL: "u", LastAttempt: now, ErrorsInRow: 3}
		case 3:
			state = model.SourceState{URL: "u", LastAttempt: now, Gone: true}
		case 4: // gone at a URL the config no longer has: polled again
			state = model.SourceState{URL: "old", LastAttempt: now, Gone: true}
		case 5:
			state = model.SourceState{URL: "u", LastAttempt: now, Paused: true}
		}
		if err := st.SaveSourceState(ctx, srcs[i].ID, state); err != nil {
			t.Fatal(err)
		}
	}
	statuses, err := st.SourceStatuses(ctx, srcs)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int64{}
	for _, s := range statuses {
		want[s.State()]++
	}
	if err := st.RecountSourceStates(ctx, srcs); err != nil {
		t.Fatal(err)
	}
	got, err := st.SourceStateCounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{model.StateOK, model.StateFailing, model.StateGone, model.StatePaused} {
		if got[w] != want[w] {
			t.Errorf("%s: recount %d, statuses %d (all: %v vs %v)", w, got[w], want[w], got, want)
		}
	}
}
