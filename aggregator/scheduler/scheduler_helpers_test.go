package scheduler

import (
	"context"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/poll/polltest"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// newDueStore is a store on a fresh embedded Redis (miniredis), for the due
// set of a scheduler whose poller keeps its state elsewhere.
func newDueStore(t *testing.T) *store.Store {
	t.Helper()
	return store.New(storetest.StartEmbedded(t), "", nil)
}

// dueOn is the due set beside st, on its client and prefix.
func dueOn(st *store.Store) *dueset.Set {
	return dueset.New(st.Client(), st.Keys().Prefix, dueset.DefaultShards)
}

// countingFetcher serves polltest.FeedRSS (or 304 with notModified) and counts
// fetches per URL.
type countingFetcher struct {
	mu          sync.Mutex
	n           map[string]int
	notModified bool
}

func (f *countingFetcher) Fetch(_ context.Context, req fetch.Request) (*fetch.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == nil {
		f.n = map[string]int{}
	}
	f.n[req.URL]++
	if f.notModified {
		return &fetch.Response{URL: req.URL, StatusCode: 304, NotModified: true}, nil
	}
	return &fetch.Response{URL: req.URL, StatusCode: 200, Body: []byte(polltest.FeedRSS)}, nil
}

func (f *countingFetcher) count(url string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n[url]
}

func updSource(id, schedule string) model.Source {
	return model.Source{ID: id, URL: "http://" + id + ".test/feed", Schedule: schedule, Location: time.UTC, SectionIDs: []string{"news"}}
}

// waitFor waits for cond with a deadline (see testkit.WaitFor).
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	testkit.WaitFor(t, 10*time.Second, "no "+what, cond)
}

// pendingWrites is how many due-set writes the loop has still to do.
func (s *Scheduler) pendingWrites() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.pending)
}

func dueSet(t *testing.T, st *store.Store) map[string]time.Time {
	t.Helper()
	return dueSources(t, dueOn(st))
}

func dueSources(t *testing.T, d *dueset.Set) map[string]time.Time {
	t.Helper()
	m, err := d.DueSources(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// cmdCounter is a go-redis hook counting the commands sent (each command
// of a pipeline counts).
type cmdCounter struct {
	mu sync.Mutex
	n  map[string]int
}

func (c *cmdCounter) add(cmds ...redis.Cmder) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.n == nil {
		c.n = map[string]int{}
	}
	for _, cmd := range cmds {
		c.n[cmd.Name()]++
	}
}

// take returns the counts so far and starts again.
func (c *cmdCounter) take() map[string]int {
	c.mu.Lock()
	defer c.mu.Unlock()
	n := c.n
	c.n = nil
	return n
}

// next is the source's next due time after t.
func (s *Scheduler) next(sourceID string, t time.Time) time.Time {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.schedules[sourceID].Next(t)
}

// newFeedPoller is a poller of one source on a test server serving
// polltest.FeedRSS, keeping its state in memory, on plantest's clock.
func newFeedPoller(t *testing.T) (*poll.Poller, model.Source) {
	t.Helper()
	srv := httptest.NewServer(polltest.ServeFeed(nil))
	t.Cleanup(srv.Close)
	p := poll.New(polltest.NewMemStore(), fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 10}}, slog.New(slog.DiscardHandler))
	p.Now = func() time.Time { return plantest.Now }
	return p, model.Source{ID: "s1", URL: srv.URL + "/feed", Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{"news"}}
}

// startTest is a started scheduler of sources, stopped when the test ends.
func startTest(t *testing.T, p Poller, due DueSet, sources []model.Source, workers int, logger *slog.Logger) *Scheduler {
	t.Helper()
	s, err := New(p, due, sources, workers, logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(context.Background()) })
	return s
}
