package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// pollLog records every poll result with the instance that made it.
type pollLog struct {
	mu    sync.Mutex
	polls map[string][]poll.Result // by source id
	by    map[int]int              // polls per instance
}

func (l *pollLog) add(instance int, r poll.Result) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.polls == nil {
		l.polls, l.by = map[string][]poll.Result{}, map[int]int{}
	}
	l.polls[r.SourceID] = append(l.polls[r.SourceID], r)
	l.by[instance]++
}

// atLeast reports whether every one of ids was polled n times.
func (l *pollLog) atLeast(ids []string, n int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, id := range ids {
		if len(l.polls[id]) < n {
			return false
		}
	}
	return true
}

func (l *pollLog) total() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for _, p := range l.polls {
		n += len(p)
	}
	return n
}

func sharedSources(n int, schedule string) ([]model.Source, []string) {
	var sources []model.Source
	var ids []string
	for i := range n {
		src := updSource(fmt.Sprintf("s%02d", i), schedule)
		sources = append(sources, src)
		ids = append(ids, src.ID)
	}
	return sources, ids
}

// startShared starts a scheduler over sources on the shared store st,
// logging its polls as instance i.
func startShared(t *testing.T, st *store.Store, f poll.Fetcher, sources []model.Source, i int, log *pollLog) *Scheduler {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	p := poll.New(st, f, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
	s, err := New(p, st, sources, 2, logger)
	if err != nil {
		t.Fatal(err)
	}
	s.OnPoll = func(r poll.Result) { log.add(i, r) }
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// Two schedulers on one redis-server split the polls of the same sources:
// each due time of each source is polled once, by one of them, and both
// do some of the work.
func TestScheduler_twoInstancesSplitPolls(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	sources, ids := sharedSources(20, "@every 1s")
	f := &countingFetcher{}
	var log pollLog
	a := startShared(t, st, f, sources, 0, &log)
	b := startShared(t, st, f, sources, 1, &log)
	waitFor(t, "four polls of every source", func() bool { return log.atLeast(ids, 4) })
	a.Stop(context.Background())
	b.Stop(context.Background())

	log.mu.Lock()
	defer log.mu.Unlock()
	for _, src := range sources {
		got := log.polls[src.ID]
		if n := f.count(src.URL); n != len(got) {
			t.Errorf("%s: fetched %d times but %d polls reported", src.ID, n, len(got))
		}
		seen := map[time.Time]bool{}
		for _, r := range got {
			if r.Err != nil {
				t.Errorf("%s: poll error %v", src.ID, r.Err)
			}
			if seen[r.Due] {
				t.Errorf("%s: due time %v polled twice", src.ID, r.Due)
			}
			seen[r.Due] = true
		}
	}
	if log.by[0] == 0 || log.by[1] == 0 {
		t.Errorf("polls per instance %v: one instance did all the work", log.by)
	}
	t.Logf("polls per instance: %v", log.by)
}

// An instance that claims a source and dies never completes the claim: the
// source is due again at the claim's deadline, and a live instance polls it
// then, not before.
func TestScheduler_reclaimsADeadInstancesClaim(t *testing.T) {
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	sources, ids := sharedSources(3, "@every 1h")
	ctx := context.Background()
	if _, err := st.SeedDue(ctx, ids, time.Now()); err != nil {
		t.Fatal(err)
	}
	const lease = 1500 * time.Millisecond
	claimed := time.Now()
	b, err := st.DueStep(ctx, nil, claimed, 10, lease, "dead-instance")
	if err != nil || len(b.Claimed) != 3 {
		t.Fatalf("the dead instance's claim: %+v, %v", b.Claimed, err)
	}
	deadline := claimed.Add(lease).Truncate(time.Millisecond)
	var log pollLog
	s := startShared(t, st, &countingFetcher{}, sources, 0, &log)
	defer s.Stop(ctx)
	waitFor(t, "polls of the dead instance's sources", func() bool { return log.atLeast(ids, 1) })
	log.mu.Lock()
	defer log.mu.Unlock()
	for _, id := range ids {
		r := log.polls[id][0]
		if r.Due.Before(deadline) {
			t.Errorf("%s polled for due time %v, before the dead claim's deadline %v", id, r.Due, deadline)
		}
		if r.Err != nil {
			t.Errorf("%s: %v", id, r.Err)
		}
		state, err := st.SourceState(ctx, id)
		if err != nil || state.LastAttempt.Before(deadline) {
			t.Errorf("%s fetched at %v (%v), before the dead claim's deadline %v", id, state.LastAttempt, err, deadline)
		}
	}
}

// A steady-state poll answered 304 costs at most six Redis commands: the
// state read, the state write (a script that also decides whether the
// source went stale) with the poll's history line (LPUSH, LTRIM and
// EXPIRE, pipelined with the write, so no extra round trip), and a
// share of the batch script that writes due times back and claims the
// next sources.
func TestScheduler_redisCommandsPerPoll(t *testing.T) {
	client := storetest.NewClient(t, storetest.StartRedis(t))
	var cmds cmdCounter
	client.AddHook(storetest.CommandHook(cmds.add))
	st := store.New(client, "", nil)
	sources, ids := sharedSources(40, "@every 1s")
	var log pollLog
	s := startShared(t, st, &countingFetcher{notModified: true}, sources, 0, &log)
	defer s.Stop(context.Background())
	// The first polls seed the due set and record each source's rules:
	// not the steady state.
	waitFor(t, "two polls of every source", func() bool { return log.atLeast(ids, 2) })
	cmds.take()
	start := log.total()
	waitFor(t, "200 more polls", func() bool { return log.total()-start >= 200 })
	got := cmds.take()
	polls := log.total() - start
	total := 0
	for _, n := range got {
		total += n
	}
	perPoll := float64(total) / float64(polls)
	t.Logf("%d polls, %d commands (%.2f per poll): %v", polls, total, perPoll, got)
	if perPoll > 6 {
		t.Errorf("%.2f Redis commands per steady-state poll, want ≤ 6: %v", perPoll, got)
	}
}
