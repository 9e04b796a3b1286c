package scheduler

import (
	"context"
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

// manyLog records what PollMany told its func.
type manyLog struct {
	mu     sync.Mutex
	calls  map[string]int
	polled map[string]poll.Result
}

func (l *manyLog) add(src model.Source, res poll.Result, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.calls == nil {
		l.calls, l.polled = map[string]int{}, map[string]poll.Result{}
	}
	l.calls[src.ID]++
	if ok {
		l.polled[src.ID] = res
	}
}

// pollOne is PollMany of src alone: its result, and false when skipped.
func pollOne(ctx context.Context, s *Scheduler, src model.Source) (poll.Result, bool) {
	var log manyLog
	s.PollMany(ctx, []model.Source{src}, log.add)
	res, ok := log.polled[src.ID]
	return res, ok
}

// PollMany polls each source once and writes its next due time, skips
// (and reports as skipped) a source another instance is polling, tells
// its func of every source exactly once, and still works when Redis lost
// its scripts.
func TestScheduler_PollMany(t *testing.T) {
	for _, tt := range []struct {
		name   string
		client func(t *testing.T) redis.UniversalClient
		shards int
		flush  bool
	}{
		{"redis-server", func(t *testing.T) redis.UniversalClient { return storetest.NewClient(t, storetest.StartRedis(t)) }, 1, false},
		{"redis-server, scripts flushed", func(t *testing.T) redis.UniversalClient { return storetest.NewClient(t, storetest.StartRedis(t)) }, 1, true},
		{"cluster, 4 shards", func(t *testing.T) redis.UniversalClient {
			return storetest.NewClusterClient(t, storetest.StartCluster(t))
		}, 4, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			client := tt.client(t)
			st := store.New(client, "", nil)
			due := dueset.New(client, "", tt.shards)
			sources, _ := sharedSources(50, "@every 1h")
			held := sources[7].ID
			if _, ok, err := due.ClaimSource(ctx, held, time.Now(), time.Minute, "other"); err != nil || !ok {
				t.Fatalf("claim by another instance = %v, %v", ok, err)
			}
			if tt.flush {
				if err := client.ScriptFlush(ctx).Err(); err != nil {
					t.Fatal(err)
				}
			}
			f := &countingFetcher{}
			logger := slog.New(slog.DiscardHandler)
			p := poll.New(st, f, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
			s, err := New(p, due, sources, 4, logger)
			if err != nil {
				t.Fatal(err)
			}
			var log manyLog
			s.PollMany(ctx, sources, log.add)
			after, err := due.DueSources(ctx)
			if err != nil {
				t.Fatal(err)
			}
			for _, src := range sources {
				if n := log.calls[src.ID]; n != 1 {
					t.Errorf("%s: reported %d times, want once", src.ID, n)
				}
				res, polled := log.polled[src.ID]
				if src.ID == held {
					if polled || f.count(src.URL) != 0 {
						t.Errorf("%s: polled while another instance held it", src.ID)
					}
					continue
				}
				if !polled || f.count(src.URL) != 1 {
					t.Errorf("%s: polled %v, fetched %d times; want once", src.ID, polled, f.count(src.URL))
					continue
				}
				if res.Err != nil || res.New == 0 {
					t.Errorf("%s: result %+v", src.ID, res)
				}
				if want := res.NextDue.Truncate(time.Millisecond); !after[src.ID].Equal(want) {
					t.Errorf("%s: due after PollMany = %v, want the poll's next due %v (the claim completed)", src.ID, after[src.ID], want)
				}
			}
		})
	}
}

// PollMany's reason to exist: an unchanged poll of many sources costs
// one round trip per source (its state write) and four per batch of as
// many sources as there are workers (claims, state reads, stored rules,
// completions): at most 1.5 per source with 8 workers, less when state
// writes share a pipeline (see store's group commit). A source at a time
// it is about five.
func TestScheduler_PollManyRoundTrips(t *testing.T) {
	ctx := context.Background()
	client := storetest.NewClient(t, storetest.StartRedis(t))
	var mu sync.Mutex
	trips := 0
	client.AddHook(storetest.CommandHook(func(...redis.Cmder) { mu.Lock(); trips++; mu.Unlock() }))
	st := store.New(client, "", nil)
	sources, _ := sharedSources(200, "@every 1h")
	f := &countingFetcher{notModified: true}
	logger := slog.New(slog.DiscardHandler)
	newSched := func() *Scheduler {
		// A new poller each time, as each run of tributary fetch has.
		p := poll.New(st, f, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
		s, err := New(p, dueOn(st), sources, 8, logger)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	// The first round records each source's rules: not the steady state.
	var first manyLog
	newSched().PollMany(ctx, sources, first.add)
	for _, tt := range []struct {
		name string
		run  func(s *Scheduler, log *manyLog)
		max  float64
	}{
		{"a source at a time", func(s *Scheduler, log *manyLog) {
			var wg sync.WaitGroup
			for _, src := range sources {
				wg.Go(func() {
					res, ok := pollOne(ctx, s, src)
					log.add(src, res, ok)
				})
			}
			wg.Wait()
		}, 6},
		{"PollMany", func(s *Scheduler, log *manyLog) { s.PollMany(ctx, sources, log.add) }, 1.51},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := newSched()
			mu.Lock()
			trips = 0
			mu.Unlock()
			var log manyLog
			tt.run(s, &log)
			if len(log.polled) != len(sources) {
				t.Fatalf("%d of %d sources polled", len(log.polled), len(sources))
			}
			for id, res := range log.polled {
				if !res.NotModified {
					t.Fatalf("%s: %+v, want not modified", id, res)
				}
			}
			mu.Lock()
			per := float64(trips) / float64(len(sources))
			mu.Unlock()
			t.Logf("%s: %.2f round trips per source", tt.name, per)
			if per > tt.max {
				t.Errorf("%s: %.2f round trips per source, want ≤ %.1f", tt.name, per, tt.max)
			}
		})
	}
}
