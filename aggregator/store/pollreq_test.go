package store_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/store"
)

func TestStore_PollRequests(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		if err := st.RequestPolls(ctx, nil, time.Minute); err != nil {
			t.Fatalf("no ids: %v", err)
		}
		if err := st.RequestPolls(ctx, []string{"s1"}, 0); err == nil {
			t.Error("ttl 0 accepted; the mark would never lapse")
		}
		// Enough sources that a Cluster spreads them over its masters.
		ids := []string{"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"}
		if err := st.RequestPolls(ctx, ids, time.Minute); err != nil {
			t.Fatal(err)
		}
		pttl, err := st.Client().PTTL(ctx, st.Keys().PollRequest("s1")).Result()
		if err != nil || pttl <= 0 || pttl > time.Minute {
			t.Errorf("request PTTL = %v, %v; want in (0, 1m]", pttl, err)
		}
		for _, id := range ids[1:] {
			// Many instances take the same request at once: one wins.
			var won atomic.Int32
			var wg sync.WaitGroup
			for range 8 {
				wg.Go(func() {
					ok, err := st.TakePollRequest(ctx, id)
					if err != nil {
						t.Error(err)
					}
					if ok {
						won.Add(1)
					}
				})
			}
			wg.Wait()
			if won.Load() != 1 {
				t.Errorf("%s: %d instances took the request, want 1", id, won.Load())
			}
		}
		if ok, err := st.TakePollRequest(ctx, "s1"); err != nil || !ok {
			t.Errorf("take s1 = %v, %v; want true", ok, err)
		}
		if ok, err := st.TakePollRequest(ctx, "s1"); err != nil || ok {
			t.Errorf("take s1 again = %v, %v; want false", ok, err)
		}
		if ok, err := st.TakePollRequest(ctx, "never"); err != nil || ok {
			t.Errorf("take unrequested = %v, %v; want false", ok, err)
		}
	})
}
