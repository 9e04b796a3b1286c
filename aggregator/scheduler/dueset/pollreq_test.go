package dueset_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store"
)

func TestSet_RequestPolls(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		ctx := context.Background()
		if err := d.RequestPolls(ctx, nil, time.Minute); err != nil {
			t.Fatalf("no ids: %v", err)
		}
		if err := d.RequestPolls(ctx, []string{"s1"}, 0); err == nil {
			t.Error("ttl 0 accepted; the mark would never lapse")
		}
		now := time.Now()
		later := now.Add(time.Hour)
		ids := []string{"s1", "s2", "s3", "s4", "s5", "s6", "s7", "s8"}
		at := map[string]time.Time{}
		for _, id := range ids {
			at[id] = later
		}
		if err := d.ScheduleDue(ctx, at, now); err != nil {
			t.Fatal(err)
		}
		if err := d.RequestPolls(ctx, ids, time.Minute); err != nil {
			t.Fatal(err)
		}
		pttl, err := d.Client().PTTL(ctx, d.Keys().PollRequest("s1")).Result()
		if err != nil || pttl <= 0 || pttl > time.Minute {
			t.Errorf("request PTTL = %v, %v; want in (0, 1m]", pttl, err)
		}
		// Many instances step at once: each request is claimed, and
		// taken, exactly once.
		var mu sync.Mutex
		taken := map[string]int{}
		var wg sync.WaitGroup
		for w := range 8 {
			wg.Go(func() {
				b, err := d.DueStep(ctx, nil, time.Now(), 3, time.Minute, "w"+string(rune('a'+w)))
				if err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				defer mu.Unlock()
				for _, c := range b.Claimed {
					if !c.Requested {
						t.Errorf("%s claimed without its request", c.SourceID)
					}
					taken[c.SourceID]++
				}
			})
		}
		wg.Wait()
		for _, id := range ids {
			if taken[id] != 1 {
				t.Errorf("%s: request served %d times, want 1", id, taken[id])
			}
		}
		if n, err := d.Client().Exists(ctx, d.Keys().PollRequest("s1")).Result(); err != nil || n != 0 {
			t.Errorf("mark after the claim: exists %d, %v; want taken", n, err)
		}
	})
}

// A request made while the source is being polled is not lost: the poll's
// completion makes it due at once, and the next claim serves the request.
func TestSet_RequestPolls_duringPoll(t *testing.T) {
	forEachBackend(t, func(t *testing.T, d *dueset.Set, st *store.Store) {
		ctx := context.Background()
		now := time.Now()
		if err := d.ScheduleDue(ctx, map[string]time.Time{"s1": now.Add(-time.Second)}, now); err != nil {
			t.Fatal(err)
		}
		b, err := d.DueStep(ctx, nil, now, 10, time.Minute, "poll")
		if err != nil || len(b.Claimed) != 1 || b.Claimed[0].Requested {
			t.Fatalf("claim = %+v, %v", b.Claimed, err)
		}
		if err := d.RequestPolls(ctx, []string{"s1"}, time.Minute); err != nil {
			t.Fatal(err)
		}
		if got := dueOf(t, d)["s1"]; !got.Equal(time.UnixMilli(now.Add(time.Minute).UnixMilli())) {
			t.Errorf("a request moved the claimed source to %v; its deadline must stay", got)
		}
		done := []dueset.Completion{{SourceID: "s1", Token: "poll", Next: now.Add(time.Hour)}}
		b, err = d.DueStep(ctx, done, time.Now(), 10, time.Minute, "next")
		if err != nil || len(b.Claimed) != 1 || !b.Claimed[0].Requested {
			t.Errorf("after the poll: claimed %+v, %v; want s1 again, for the request", b.Claimed, err)
		}
	})
}
