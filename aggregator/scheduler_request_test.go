package aggregator

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// Every polling instance hears an admin poll request; the one that hears
// it late, after another served it and released the lease (so the lease
// cannot stop it), must not fetch again.
func TestScheduler_requestedPollOnce(t *testing.T) {
	ctx := context.Background()
	var fetches atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		fetches.Add(1)
		_, _ = w.Write([]byte(feedRSS))
	}))
	t.Cleanup(srv.Close)
	st := store.New(storetest.NewClient(t, storetest.StartRedis(t)), "", nil)
	src := model.Source{ID: "s1", URL: srv.URL + "/feed", Schedule: "@every 1h", Location: time.UTC, SectionIDs: []string{"news"}}
	instance := func() *Scheduler {
		p := NewPoller(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
			[]model.Section{{ID: "news", MaxItems: 10, SourceIDs: []string{"s1"}}}, slog.New(slog.DiscardHandler))
		s, err := NewScheduler(p, []model.Source{src}, 2, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		s.Leases, s.Requests = st, st
		return s
	}
	a, b := instance(), instance()
	request := func() {
		t.Helper()
		if err := st.RequestPolls(ctx, []string{src.ID}, time.Minute); err != nil {
			t.Fatal(err)
		}
	}
	for i, pair := range [][2]*Scheduler{{a, b}, {b, a}} {
		request()
		if _, polled := pair[0].run(ctx, src, whenRequested); !polled {
			t.Fatalf("round %d: the first instance to hear the request did not poll", i+1)
		}
		if _, polled := pair[1].run(ctx, src, whenRequested); polled {
			t.Errorf("round %d: the second instance polled the request again", i+1)
		}
	}
	if _, polled := a.run(ctx, src, whenRequested); polled {
		t.Error("polled with no request pending")
	}
	// Each request is served once: a later one polls again.
	request()
	if _, polled := a.run(ctx, src, whenRequested); !polled {
		t.Error("a new request after a served one was not polled")
	}
	// Without Requests (one instance, or an older setup) every trigger polls.
	c := instance()
	c.Requests = nil
	if _, polled := c.run(ctx, src, whenRequested); !polled {
		t.Error("without Requests a trigger did not poll")
	}
	if n := fetches.Load(); n != 4 {
		t.Errorf("fetched %d times, want 4 (once per request, once unmarked)", n)
	}
}
