package scheduler

import (
	"context"
	"log/slog"
	"net"
	"testing"
	"testing/synctest"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// These tests run the scheduler on synctest's fake clock against the real
// due-set scripts, in miniredis. A goroutine waiting on a socket is not
// durably blocked, so the bubble would never be idle and its clock never
// move: the client reaches miniredis through in-memory pipes instead
// (Miniredis.Dial, made for this), never started on a port. Its scripts
// take the time from the scheduler's arguments, so miniredis's own clock
// does not matter.

// pipeStore is a store on a fresh miniredis reached through pipes. Call
// it inside the bubble, and the returned close before the bubble ends: it
// ends the goroutines serving the pipes.
func pipeStore() (*store.Store, func()) {
	m := miniredis.NewMiniRedis()
	// The address is never dialled, but an IP literal keeps the client from
	// resolving it (it looks up its kind of endpoint at construction).
	c := redis.NewClient(&redis.Options{Addr: "127.0.0.1:0", Dialer: func(context.Context, string, string) (net.Conn, error) {
		return m.Dial()
	}})
	return store.New(c, "", nil), func() { _ = c.Close(); m.Close() }
}

// newBubbleStore is pipeStore for a test inside a bubble, closed in its
// Cleanup (which runs in the bubble, after the test's own defers).
func newBubbleStore(t *testing.T) *store.Store {
	t.Helper()
	st, closeStore := pipeStore()
	t.Cleanup(closeStore)
	return st
}

// settle waits inside a bubble until cond holds: each round lets every
// goroutine of the bubble finish what it can do at once, then moves the
// fake clock on by 10 ms; a condition not met within an hour of fake time
// fails the test.
func settle(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Hour)
	for {
		synctest.Wait()
		if cond() {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("no %s within an hour of fake time", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// startPiped starts a scheduler over sources on st, logging its polls as
// instance i, with a lease of lease.
func startPiped(t *testing.T, st *store.Store, sources []model.Source, i int, lease time.Duration, log *pollLog) *Scheduler {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	p := poll.New(st, &countingFetcher{notModified: true}, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
	s, err := New(p, dueOn(st), sources, 2, logger)
	if err != nil {
		t.Fatal(err)
	}
	s.LeaseTTL = lease
	s.OnPoll = func(r poll.Result) { log.add(i, r) }
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// Over twenty minutes of fake time, every source on "@every 1m" is polled
// once per firing: each due time once, none before the start.
func TestScheduler_cadenceOnFakeClock(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st, closeStore := pipeStore()
		defer closeStore()
		sources, ids := sharedSources(5, "@every 1m")
		var log pollLog
		s := startPiped(t, st, sources, 0, DefaultLeaseTTL, &log)
		start := time.Now()
		time.Sleep(20 * time.Minute)
		s.Stop(context.Background())
		synctest.Wait()

		log.mu.Lock()
		defer log.mu.Unlock()
		for _, id := range ids {
			got := log.polls[id]
			// The first poll is at the start (a new source is due at
			// once), then one per minute: 21, the last one landing
			// exactly on the end.
			if len(got) < 20 || len(got) > 21 {
				t.Errorf("%s: %d polls in 20 minutes on @every 1m, want 20 or 21", id, len(got))
			}
			seen := map[time.Time]bool{}
			for _, r := range got {
				if seen[r.Due] {
					t.Errorf("%s: due time %v polled twice", id, r.Due)
				}
				seen[r.Due] = true
				if r.Err != nil {
					t.Errorf("%s: %v", id, r.Err)
				}
				if late := r.Due.Sub(start); late < 0 {
					t.Errorf("%s: due at %v, before the start", id, late)
				}
			}
		}
	})
}

// An instance that claims sources and dies never completes its claims: a
// live instance polls them exactly when the claims lapse, one lease after
// they were taken, and not before.
func TestScheduler_deadClaimTakenOverAfterOneLease(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st, closeStore := pipeStore()
		defer closeStore()
		sources, ids := sharedSources(3, "@every 1h")
		ctx := context.Background()
		if _, err := dueOn(st).SeedDue(ctx, ids, time.Now()); err != nil {
			t.Fatal(err)
		}
		const lease = 2 * time.Minute
		claimed := time.Now()
		b, err := dueOn(st).DueStep(ctx, nil, claimed, 10, lease, "dead-instance")
		if err != nil || len(b.Claimed) != 3 {
			t.Fatalf("the dead instance's claim: %+v, %v", b.Claimed, err)
		}
		var log pollLog
		s := startPiped(t, st, sources, 0, lease, &log)
		time.Sleep(lease - time.Second)
		synctest.Wait()
		if n := log.total(); n != 0 {
			t.Errorf("%d polls before the dead claims lapsed", n)
		}
		time.Sleep(2 * time.Second)
		synctest.Wait()
		s.Stop(ctx)
		synctest.Wait()
		log.mu.Lock()
		defer log.mu.Unlock()
		for _, id := range ids {
			if len(log.polls[id]) != 1 {
				t.Errorf("%s: %d polls, want 1 once its dead claim lapsed", id, len(log.polls[id]))
				continue
			}
			if r := log.polls[id][0]; !r.Due.Equal(claimed.Add(lease).Truncate(time.Millisecond)) {
				t.Errorf("%s: polled for due time %v, want the dead claim's deadline %v", id, r.Due, claimed.Add(lease))
			}
		}
	})
}

// Two schedulers on one due set split the polls of the same sources: each
// due time of each source is polled once, by one of them, and both do
// some of the work.
func TestScheduler_twoInstancesSplitPolls(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		st, closeStore := pipeStore()
		defer closeStore()
		sources, ids := sharedSources(20, "@every 10s")
		var log pollLog
		a := startPiped(t, st, sources, 0, DefaultLeaseTTL, &log)
		b := startPiped(t, st, sources, 1, DefaultLeaseTTL, &log)
		time.Sleep(time.Minute)
		a.Stop(context.Background())
		b.Stop(context.Background())
		synctest.Wait()

		log.mu.Lock()
		defer log.mu.Unlock()
		for _, id := range ids {
			got := log.polls[id]
			if len(got) < 6 {
				t.Errorf("%s: %d polls in a minute on @every 10s, want at least 6", id, len(got))
			}
			seen := map[time.Time]bool{}
			for _, r := range got {
				if r.Err != nil {
					t.Errorf("%s: poll error %v", id, r.Err)
				}
				if seen[r.Due] {
					t.Errorf("%s: due time %v polled twice", id, r.Due)
				}
				seen[r.Due] = true
			}
		}
		if log.by[0] == 0 || log.by[1] == 0 {
			t.Errorf("polls per instance %v: one instance did all the work", log.by)
		}
	})
}
