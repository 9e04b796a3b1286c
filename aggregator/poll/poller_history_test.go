package poll

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
	"github.com/tributary-rss/tributary/aggregator/poll/polltest"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestPoller_pollHistory: each poll of a source lands in its history in
// the store, newest first, saying what it did; the poll result carries
// the state change it wrote.
func TestPoller_pollHistory(t *testing.T) {
	var status atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch code := int(status.Load()); code {
		case http.StatusOK:
			w.Header().Set("ETag", `"v1"`)
			if r.Header.Get("If-None-Match") == `"v1"` {
				w.WriteHeader(http.StatusNotModified)
				return
			}
			_, _ = w.Write([]byte(polltest.FeedRSS))
		default:
			http.Error(w, "no", code)
		}
	}))
	t.Cleanup(srv.Close)
	for _, b := range storetest.Backends() {
		t.Run(b.Name, func(t *testing.T) {
			st := store.New(b.Start(t), "", nil)
			p := New(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
				[]model.Section{{ID: "news", MaxItems: 10}}, slog.New(slog.DiscardHandler))
			clock := plantest.Now
			p.Now = func() time.Time { return clock }
			src := model.Source{ID: "s1", URL: srv.URL + "/feed", Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{"news"}}
			steps := []struct {
				status      int
				want        model.PollRecord
				errorsInRow int
			}{
				{200, model.PollRecord{Result: "ok", Status: 200, New: 1}, 0},
				{200, model.PollRecord{Result: "not_modified", Status: 304}, 0},
				{500, model.PollRecord{Result: "error", Status: 500}, 1},
				{410, model.PollRecord{Result: "error", Status: 410}, 2},
			}
			prevErrors := 0
			for i, step := range steps {
				status.Store(int64(step.status))
				clock = clock.Add(time.Minute)
				res := p.Poll(context.Background(), src, plantest.QuarterHourly())
				if res.Change == nil {
					t.Fatalf("poll %d: no state change in the result", i)
				}
				if c := res.Change; c.Prev.ErrorsInRow != prevErrors || c.Next.ErrorsInRow != step.errorsInRow {
					t.Errorf("poll %d: change %d → %d errors in a row, want %d → %d", i, c.Prev.ErrorsInRow, c.Next.ErrorsInRow, prevErrors, step.errorsInRow)
				}
				prevErrors = step.errorsInRow
			}
			got, err := st.PollHistory(context.Background(), "s1", 0)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(steps) {
				t.Fatalf("history has %d polls, want %d: %+v", len(got), len(steps), got)
			}
			for j, rec := range got {
				i := len(steps) - 1 - j
				want := steps[i].want
				if rec.Result != want.Result || rec.Status != want.Status || rec.New != want.New {
					t.Errorf("record %d = %+v, want poll %d: %+v", j, rec, i, want)
				}
				if wantAt := plantest.Now.Add(time.Duration(i+1) * time.Minute); !rec.Time.Equal(wantAt) {
					t.Errorf("record %d at %v, want %v", j, rec.Time, wantAt)
				}
				if (rec.Error != "") != (want.Result == "error") {
					t.Errorf("record %d: error %q for result %s", j, rec.Error, rec.Result)
				}
			}
		})
	}
}

// TestPoller_pollHistoryStoreDown: a poll whose state cannot be written
// reports no state change, so nothing is decided from a state that was
// never stored.
func TestPoller_pollHistoryStoreDown(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) { _, _ = w.Write([]byte(polltest.FeedRSS)) }))
	t.Cleanup(srv.Close)
	client := storetest.StartEmbedded(t)
	st := store.New(client, "", nil)
	p := New(st, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 10}}, slog.New(slog.DiscardHandler))
	src := model.Source{ID: "s1", URL: srv.URL + "/feed", Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{"news"}}
	if err := client.Close(); err != nil {
		t.Fatal(err)
	}
	res := p.PollState(context.Background(), src, model.SourceState{ErrorsInRow: 5}, plantest.QuarterHourly())
	if res.Change != nil {
		t.Errorf("state change %+v reported although the store is down", res.Change)
	}
}
