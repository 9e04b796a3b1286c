package scheduler

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
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
	return startSharedOn(t, st, dueOn(st), f, sources, i, log)
}

// startSharedOn is startShared with the due set given.
func startSharedOn(t *testing.T, st *store.Store, due DueSet, f poll.Fetcher, sources []model.Source, i int, log *pollLog) *Scheduler {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	p := poll.New(st, f, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
	s, err := New(p, due, sources, 2, logger)
	if err != nil {
		t.Fatal(err)
	}
	s.OnPoll = func(r poll.Result) { log.add(i, r) }
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	return s
}

// Two schedulers over a due set in shards, on a real redis-server and a
// real Redis Cluster, split the polls of the same sources: each due time
// of each source is polled once, by one of them, and both do some of the
// work. (TestScheduler_twoInstancesSplitPolls holds it for one shard on a
// fake clock.)
func TestScheduler_twoInstancesOnShards(t *testing.T) {
	for _, tt := range []struct {
		name   string
		client func(t *testing.T) redis.UniversalClient
	}{
		{"redis-server", func(t *testing.T) redis.UniversalClient { return storetest.NewClient(t, storetest.StartRedis(t)) }},
		{"cluster", func(t *testing.T) redis.UniversalClient {
			return storetest.NewClusterClient(t, storetest.StartCluster(t))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			client := tt.client(t)
			st := store.New(client, "", nil)
			sources, ids := sharedSources(20, "@every 1s")
			f := &countingFetcher{}
			var log pollLog
			a := startSharedOn(t, st, dueset.New(client, "", 4), f, sources, 0, &log)
			b := startSharedOn(t, st, dueset.New(client, "", 4), f, sources, 1, &log)
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
					if seen[r.Due] {
						t.Errorf("%s: due time %v polled twice", src.ID, r.Due)
					}
					seen[r.Due] = true
				}
			}
			if log.by[0] == 0 || log.by[1] == 0 {
				t.Errorf("polls per instance %v: one instance did all the work", log.by)
			}
		})
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
	var tripsMu sync.Mutex
	trips := 0
	client.AddHook(storetest.CommandHook(func(c ...redis.Cmder) {
		cmds.add(c...)
		tripsMu.Lock()
		trips++
		tripsMu.Unlock()
	}))
	st := store.New(client, "", nil)
	sources, ids := sharedSources(40, "@every 1s")
	var log pollLog
	s := startShared(t, st, &countingFetcher{notModified: true}, sources, 0, &log)
	defer s.Stop(context.Background())
	// The first polls seed the due set and record each source's rules:
	// not the steady state.
	waitFor(t, "two polls of every source", func() bool { return log.atLeast(ids, 2) })
	cmds.take()
	tripsMu.Lock()
	trips = 0
	tripsMu.Unlock()
	start := log.total()
	waitFor(t, "200 more polls", func() bool { return log.total()-start >= 200 })
	got := cmds.take()
	tripsMu.Lock()
	roundTrips := trips
	tripsMu.Unlock()
	polls := log.total() - start
	total := 0
	for _, n := range got {
		total += n
	}
	perPoll := float64(total) / float64(polls)
	tripsPerPoll := float64(roundTrips) / float64(polls)
	t.Logf("%d polls, %d commands (%.2f per poll) in %d round trips (%.2f per poll): %v", polls, total, perPoll, roundTrips, tripsPerPoll, got)
	if perPoll > 6 {
		t.Errorf("%.2f Redis commands per steady-state poll, want ≤ 6: %v", perPoll, got)
	}
	// The state write is the poll's own round trip; the claim step and
	// the state reads are one each per batch. Sources due a second apart
	// make batches of one or two here, so about 1.9; a state read per
	// poll made it about 2.6.
	if tripsPerPoll > 2.2 {
		t.Errorf("%.2f Redis round trips per steady-state poll, want ≤ 2.2 (the state write and a share of the batch's)", tripsPerPoll)
	}
}
