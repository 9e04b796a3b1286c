package scheduler

import (
	"context"
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
	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// panickyFetcher panics on one URL, as a bug triggered by one source's data
// would, and serves a feed on every other.
type panickyFetcher struct{ panicURL string }

func (f panickyFetcher) Fetch(_ context.Context, req fetch.Request) (*fetch.Response, error) {
	if req.URL == f.panicURL {
		panic("index out of range in a parser")
	}
	return &fetch.Response{URL: req.URL, StatusCode: 200, Body: []byte(polltest.FeedRSS)}, nil
}

// A panic inside one source's poll is recovered, logged and reported as
// that poll's error, and the scheduler keeps polling every source — the
// panicking one included — on later firings.
func TestScheduler_PanicInPoll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		var logs testkit.LogBuffer
		logger := slog.New(slog.NewTextHandler(&logs, nil))
		sources := []model.Source{
			{ID: "bad", URL: "http://bad.test/feed", Schedule: "@every 1s", Location: time.UTC, SectionIDs: []string{"news"}},
			{ID: "good", URL: "http://good.test/feed", Schedule: "@every 1s", Location: time.UTC, SectionIDs: []string{"news"}},
		}
		p := poll.New(polltest.NewMemStore(), panickyFetcher{panicURL: "http://bad.test/feed"}, normalize.New(normalize.Options{}),
			[]model.Section{{ID: "news", MaxItems: 10}}, logger)
		s, err := New(p, dueOn(newBubbleStore(t)), sources, 2, logger)
		if err != nil {
			t.Fatal(err)
		}
		var mu sync.Mutex
		panics, goods := 0, 0
		enough := make(chan struct{})
		var once sync.Once
		s.OnPoll = func(res poll.Result) {
			mu.Lock()
			defer mu.Unlock()
			switch {
			case res.SourceID == "bad" && res.Err != nil && strings.Contains(res.Err.Error(), "panic: index out of range in a parser"):
				panics++
			case res.SourceID == "good" && res.Err == nil:
				goods++
			default:
				t.Errorf("unexpected poll result: %s err %v", res.SourceID, res.Err)
			}
			// Two of each: both sources were polled again after the first
			// panic. One may get ahead of the other, so at least two.
			if panics >= 2 && goods >= 2 {
				once.Do(func() { close(enough) })
			}
		}
		if err := s.Start(context.Background()); err != nil {
			t.Fatal(err)
		}
		defer s.Stop(context.Background())
		select {
		case <-enough:
		case <-time.After(10 * time.Second):
			mu.Lock()
			defer mu.Unlock()
			t.Fatalf("after 10s: %d recovered panics, %d good polls; want 2 of each", panics, goods)
		}
		if out := logs.String(); !strings.Contains(out, `msg="poll panicked" source=bad`) || !strings.Contains(out, "stack=") {
			t.Errorf("no error log with the source and stack for the panic; logs:\n%s", out)
		}
	})
}
