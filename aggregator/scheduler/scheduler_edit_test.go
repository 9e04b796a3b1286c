package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/poll/polltest"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// gatedFetcher is a countingFetcher whose fetches of one URL wait for the
// gate to open; entered is closed when the first such fetch arrives.
type gatedFetcher struct {
	countingFetcher
	url     string
	gate    chan struct{}
	once    sync.Once
	entered chan struct{}
}

// waitClosed waits for ch to close, failing the test after 10 s.
func waitClosed(t *testing.T, what string, ch <-chan struct{}) {
	t.Helper()
	select {
	case <-ch:
	case <-time.After(10 * time.Second):
		t.Fatalf("after 10s: no %s", what)
	}
}

func newGatedFetcher(url string) *gatedFetcher {
	return &gatedFetcher{url: url, gate: make(chan struct{}), entered: make(chan struct{})}
}

func (f *gatedFetcher) Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	if req.URL == f.url {
		f.once.Do(func() { close(f.entered) })
		select {
		case <-f.gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return f.countingFetcher.Fetch(ctx, req)
}

// An edit that arrives while the source is being polled (its claim is
// live, so the edit's due time cannot be written) is honoured by the
// poll's completion: a changed URL is fetched right after, not an hour
// later at the old plan.
func TestScheduler_editDuringPoll(t *testing.T) {
	tests := []struct {
		name string
		edit func(model.Source) model.Source
		// want is the URL fetched after the edit.
		want string
	}{
		{"url", func(s model.Source) model.Source { s.URL = "http://a.test/moved"; return s }, "http://a.test/moved"},
		{"schedule", func(s model.Source) model.Source { s.Schedule = "@every 1s"; return s }, "http://a.test/feed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				f := newGatedFetcher("http://a.test/feed")
				logger := slog.New(slog.DiscardHandler)
				p := poll.New(polltest.NewMemStore(), f, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
				s := startTest(t, p, dueOn(newBubbleStore(t)), []model.Source{updSource("a", "@every 1h")}, 2, logger)
				waitClosed(t, "the poll's fetch", f.entered)
				if _, _, _, err := s.Update([]model.Source{tt.edit(updSource("a", "@every 1h"))}, []model.Section{{ID: "news", MaxItems: 10}}); err != nil {
					t.Fatal(err)
				}
				// The edit reaches the due set while the poll still holds its
				// claim.
				settle(t, "the edit written", func() bool { return s.pendingWrites() == 0 })
				before := f.count(tt.want)
				close(f.gate)
				settle(t, "a poll at "+tt.want+" after the edit", func() bool { return f.count(tt.want) > before })
			})
		})
	}
}

// The same holds while the source is handed to its article pass: the
// pass gives the claim back, and its completion honours the edit.
func TestScheduler_editDuringArticlePass(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		articles := newGatedFetcher("http://a.test/article")
		st := &articleMemStore{MemStore: polltest.NewMemStore(),
			pending: []store.PendingArticle{{Entry: model.Entry{ID: "e1"}, Record: store.ArticleRecord{Link: "http://a.test/article"}}}}
		logger := slog.New(slog.DiscardHandler)
		p := poll.New(st, articles, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
		src := updSource("a", "@every 1h")
		src.Content = &model.Content{Fetch: true}
		s := startTest(t, p, dueOn(newBubbleStore(t)), []model.Source{src}, 2, logger)
		waitClosed(t, "the article fetch", articles.entered)
		moved := src
		moved.URL = "http://a.test/moved"
		if _, _, _, err := s.Update([]model.Source{moved}, []model.Section{{ID: "news", MaxItems: 10}}); err != nil {
			t.Fatal(err)
		}
		settle(t, "the edit written", func() bool { return s.pendingWrites() == 0 })
		close(articles.gate)
		settle(t, "a poll at the new URL after the article pass", func() bool { return articles.count("http://a.test/moved") > 0 })
	})
}

// A poll outliving its claim is cut off before the claim's deadline, when
// another instance may claim the source again.
func TestScheduler_pollBoundedByClaim(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := newGatedFetcher("http://a.test/feed")
		logger := slog.New(slog.DiscardHandler)
		p := poll.New(polltest.NewMemStore(), f, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
		s, err := New(p, dueOn(newBubbleStore(t)), []model.Source{updSource("a", "@every 1h")}, 2, logger)
		if err != nil {
			t.Fatal(err)
		}
		s.LeaseTTL = 2 * time.Second
		var mu sync.Mutex
		var results []poll.Result
		s.OnPoll = func(r poll.Result) {
			mu.Lock()
			defer mu.Unlock()
			results = append(results, r)
		}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { close(f.gate); s.Stop(context.Background()) })
		settle(t, "the stuck poll cut off", func() bool {
			mu.Lock()
			defer mu.Unlock()
			return len(results) > 0
		})
		mu.Lock()
		defer mu.Unlock()
		if results[0].Err == nil {
			t.Fatalf("a poll past its claim's deadline ended without error: %+v", results[0])
		}
	})
}

// articleMemStore is a polltest.MemStore that always has the same articles
// pending.
type articleMemStore struct {
	*polltest.MemStore
	pending []store.PendingArticle
}

func (m *articleMemStore) QueueArticles(context.Context, string, []store.ArticleRef) (int, error) {
	return len(m.pending), nil
}

func (m *articleMemStore) PendingArticles(context.Context, string) ([]store.PendingArticle, error) {
	return m.pending, nil
}

func (m *articleMemStore) SaveArticle(context.Context, model.Source, string, store.Article, time.Time) (bool, error) {
	return true, nil
}

func (m *articleMemStore) SetArticleRecord(context.Context, string, string, store.ArticleRecord) error {
	return nil
}

func (m *articleMemStore) RecordArticles(context.Context, string, store.ArticleCounts) error {
	return nil
}

// slowArticlesFetcher serves feeds at once; an article link of a host
// named slow* answers only when the request's context ends, as a server
// dripping a byte a second does within any sane timeout.
type slowArticlesFetcher struct{ countingFetcher }

func (f *slowArticlesFetcher) Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error) {
	if strings.HasPrefix(req.URL, "http://slow") && strings.HasSuffix(req.URL, "/article") {
		f.countingFetcher.Fetch(ctx, req)
		<-ctx.Done()
		return nil, ctx.Err()
	}
	return f.countingFetcher.Fetch(ctx, req)
}

// Sources whose article hosts never answer take neither the polls nor the
// article passes of another source: its polls keep their schedule and its
// articles keep being fetched while theirs hang.
func TestScheduler_articlesFairAcrossSources(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		f := &slowArticlesFetcher{}
		logger := slog.New(slog.DiscardHandler)
		var sources []model.Source
		for _, id := range []string{"slow1", "slow2", "slow3", "slow4", "slow5", "fast"} {
			src := updSource(id, "@every 1s")
			src.Content = &model.Content{Fetch: true}
			sources = append(sources, src)
		}
		st := &perSourceArticles{MemStore: polltest.NewMemStore()}
		p := poll.New(st, f, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
		p.ArticleTimeout = 500 * time.Millisecond
		startTest(t, p, dueOn(newBubbleStore(t)), sources, 8, logger)
		settle(t, "the slow sources' article hosts reached", func() bool {
			return f.count("http://slow1.test/article") > 0 && f.count("http://slow5.test/article") > 0
		})
		polls, articles := f.count("http://fast.test/feed"), f.count("http://fast.test/article")
		settle(t, "more polls and article passes of the fast source", func() bool {
			return f.count("http://fast.test/feed") >= polls+3 && f.count("http://fast.test/article") >= articles+3
		})
	})
}

// perSourceArticles is a memStore where every source always has one
// article pending, at http://<id>.test/article.
type perSourceArticles struct{ *polltest.MemStore }

func (m *perSourceArticles) QueueArticles(context.Context, string, []store.ArticleRef) (int, error) {
	return 1, nil
}

func (m *perSourceArticles) PendingArticles(_ context.Context, id string) ([]store.PendingArticle, error) {
	return []store.PendingArticle{{Entry: model.Entry{ID: id + "-1"}, Record: store.ArticleRecord{Link: "http://" + id + ".test/article"}}}, nil
}

func (m *perSourceArticles) SaveArticle(context.Context, model.Source, string, store.Article, time.Time) (bool, error) {
	return true, nil
}

func (m *perSourceArticles) SetArticleRecord(context.Context, string, string, store.ArticleRecord) error {
	return nil
}

func (m *perSourceArticles) RecordArticles(context.Context, string, store.ArticleCounts) error {
	return nil
}

// Work under a claim ends a tenth of the lease before the claim lapses,
// on the scheduler's clock, whatever that clock says.
func TestScheduler_claimContext(t *testing.T) {
	logger := slog.New(slog.DiscardHandler)
	p := poll.New(polltest.NewMemStore(), &countingFetcher{}, normalize.New(normalize.Options{}), nil, logger)
	fake := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	p.Now = func() time.Time { return fake }
	s, err := New(p, dueOn(newBubbleStore(t)), nil, 1, logger)
	if err != nil {
		t.Fatal(err)
	}
	s.LeaseTTL = 100 * time.Second
	tests := []struct {
		name string
		left time.Duration // until the claim's deadline
		want time.Duration // until the context's
	}{
		{"fresh claim", 100 * time.Second, 90 * time.Second},
		{"claim that waited", 30 * time.Second, 20 * time.Second},
		{"claim about to lapse", 5 * time.Second, -5 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				before := time.Now()
				ctx, cancel := s.claimContext(context.Background(), dueset.Claim{Deadline: fake.Add(tt.left)})
				defer cancel()
				d, ok := ctx.Deadline()
				if !ok || d.Before(before.Add(tt.want)) || d.After(time.Now().Add(tt.want)) {
					t.Errorf("deadline in %v, want %v", d.Sub(before), tt.want)
				}
				if tt.want < 0 && !errors.Is(context.Cause(ctx), poll.ErrClaimLapsing) {
					t.Errorf("cause %v, want poll.ErrClaimLapsing", context.Cause(ctx))
				}
			})
		})
	}
}
