package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// SourceStates and RulesFingerprints read many sources over several round
// trips and answer in the order asked, a source with nothing stored as
// the zero state and "".
func TestStore_SourceStatesAndRulesFingerprints(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		now := time.Date(2026, 12, 8, 9, 0, 0, 0, time.UTC)
		n := 2*store.BatchSize + 7
		ids := make([]string, n)
		for i := range ids {
			ids[i] = fmt.Sprintf("s%04d", i)
			if i%3 != 0 {
				continue
			}
			next := model.SourceState{URL: "https://example.org/" + ids[i], LastAttempt: now, LastStatus: 200 + i}
			if err := st.SaveSourceTransition(ctx, ids[i], model.SourceState{}, next); err != nil {
				t.Fatal(err)
			}
			if err := st.Client().Set(ctx, st.Keys().SourceRules(ids[i]), "fp-"+ids[i], 0).Err(); err != nil {
				t.Fatal(err)
			}
		}
		states, err := st.SourceStates(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		fps, err := st.RulesFingerprints(ctx, ids)
		if err != nil {
			t.Fatal(err)
		}
		if len(states) != n || len(fps) != n {
			t.Fatalf("%d states and %d fingerprints for %d sources", len(states), len(fps), n)
		}
		for i, id := range ids {
			wantStatus, wantFP := 0, ""
			if i%3 == 0 {
				wantStatus, wantFP = 200+i, "fp-"+id
			}
			if states[i].LastStatus != wantStatus || fps[i] != wantFP {
				t.Errorf("%s: status %d, fingerprint %q; want %d, %q", id, states[i].LastStatus, fps[i], wantStatus, wantFP)
			}
		}
	})
}
