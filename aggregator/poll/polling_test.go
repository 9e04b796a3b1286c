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
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/poll/polltest"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
)

// pollHarness polls one source on a test server with a fixed clock.
type pollHarness struct {
	t      *testing.T
	store  *polltest.MemStore
	poller *Poller
	srv    *httptest.Server
	src    model.Source
	plan   plan.Plan
}

func newPollHarness(t *testing.T, h http.Handler) *pollHarness {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	ms := polltest.NewMemStore()
	p := New(ms, fetch.New(fetch.Options{Timeout: 5 * time.Second}), normalize.New(normalize.Options{}),
		[]model.Section{{ID: "news", MaxItems: 10}}, slog.New(slog.DiscardHandler))
	p.Now = func() time.Time { return plantest.Now }
	src := model.Source{ID: "s1", URL: srv.URL + "/feed", Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{"news"}}
	return &pollHarness{t: t, store: ms, poller: p, srv: srv, src: src, plan: plantest.QuarterHourly()}
}

func (h *pollHarness) poll() (Result, model.SourceState) {
	h.t.Helper()
	res := h.poller.Poll(context.Background(), h.src, h.plan)
	st, _ := h.store.SourceState(context.Background(), h.src.ID)
	return res, st
}

func TestPoller_PermanentRedirect(t *testing.T) {
	tests := []struct {
		name      string
		codes     []int // status of /feed on successive polls
		wantAfter int   // poll after which /new is the effective URL; 0: never
	}{
		{"301 three times", []int{301, 301, 301, 301}, 3},
		{"308 three times", []int{308, 308, 308, 308}, 3},
		{"302 never", []int{302, 302, 302, 302}, 0},
		{"interrupted by a 302", []int{301, 301, 302, 301, 301}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var poll, oldHits atomic.Int32
			mux := http.NewServeMux()
			mux.HandleFunc("/feed", func(w http.ResponseWriter, r *http.Request) {
				oldHits.Add(1)
				http.Redirect(w, r, "/new", tt.codes[poll.Load()])
			})
			mux.HandleFunc("/new", func(w http.ResponseWriter, r *http.Request) { _, _ = w.Write([]byte(polltest.FeedRSS)) })
			h := newPollHarness(t, mux)
			for i := range tt.codes {
				poll.Store(int32(i))
				res, st := h.poll()
				if res.Err != nil {
					t.Fatalf("poll %d: %v", i+1, res.Err)
				}
				adopted := tt.wantAfter > 0 && i+1 >= tt.wantAfter
				if want := map[bool]string{true: h.srv.URL + "/new"}[adopted]; st.EffectiveURL != want {
					t.Fatalf("after poll %d: effective URL %q, want %q", i+1, st.EffectiveURL, want)
				}
			}
			if tt.wantAfter > 0 && int(oldHits.Load()) != tt.wantAfter {
				t.Errorf("the old URL was fetched %d times, want %d", oldHits.Load(), tt.wantAfter)
			}
		})
	}
}

func TestPoller_Gone(t *testing.T) {
	var gone atomic.Bool
	gone.Store(true)
	h := newPollHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if gone.Load() {
			w.WriteHeader(http.StatusGone)
			return
		}
		_, _ = w.Write([]byte(polltest.FeedRSS))
	}))
	res, st := h.poll()
	if !res.Gone || !st.Gone || st.LastError != "HTTP 410 Gone" {
		t.Fatalf("after 410: result gone %v, state %+v", res.Gone, st)
	}
	if !Skipped(h.src, st) {
		t.Error("a gone source is polled")
	}
	moved := h.src
	moved.URL = h.srv.URL + "/feed?v=2"
	if Skipped(moved, st) {
		t.Error("a gone source whose configured URL changed is skipped")
	}
	gone.Store(false)
	h.src = moved
	if _, st := h.poll(); st.Gone || st.LastError != "" {
		t.Errorf("after the URL changed: state %+v", st)
	}
}

func TestPoller_FailureReason(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    string
	}{
		{"HTTP status", func(w http.ResponseWriter, r *http.Request) { http.Error(w, "oops", 500) }, "HTTP 500 Internal Server Error"},
		// A page at a URL never read as a feed is taken for a site
		// without one; faults_test covers a feed URL that turns into a
		// page ("not a feed: HTML page: …").
		{"page advertising no feed", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte("<html><head><title>Login</title></head></html>"))
		}, parse.NoFeedReason + "; " + parse.NoListReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newPollHarness(t, tt.handler)
			for i := 1; i <= 3; i++ {
				_, st := h.poll()
				if st.LastError != tt.want || st.ErrorsInRow != i {
					t.Fatalf("poll %d: last_error %q, errors_in_row %d; want %q, %d", i, st.LastError, st.ErrorsInRow, tt.want, i)
				}
				if !st.NextDue.After(plantest.Now) {
					t.Errorf("next due %v is not after now", st.NextDue)
				}
			}
		})
	}
}

// Hints and Retry-After reach the stored next_due; success resets the
// error streak.
func TestPoller_NextDue(t *testing.T) {
	tests := []struct {
		name    string
		handler http.HandlerFunc
		want    time.Time
		errors  int
	}{
		{"plain", polltest.ServeFeed(nil), plantest.At("10:15"), 0},
		{"max-age", polltest.ServeFeed(map[string]string{"Cache-Control": "max-age=3600"}), plantest.At("11:15"), 0},
		{"ttl in the feed", func(w http.ResponseWriter, r *http.Request) {
			_, _ = w.Write([]byte(`<rss version="2.0"><channel><title>t</title><ttl>120</ttl></channel></rss>`))
		}, plantest.At("12:15"), 0},
		{"429 with Retry-After", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7200")
			w.WriteHeader(http.StatusTooManyRequests)
		}, plantest.At("12:15"), 1},
		{"503 with a Retry-After date", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", plantest.At("13:00").Format(http.TimeFormat))
			w.WriteHeader(http.StatusServiceUnavailable)
		}, plantest.At("13:00"), 1},
		{"500 ignores Retry-After", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Retry-After", "7200")
			w.WriteHeader(http.StatusInternalServerError)
		}, plantest.At("10:15"), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newPollHarness(t, tt.handler)
			_ = h.store.SaveSourceState(context.Background(), "s1", model.SourceState{URL: h.src.URL, NextDue: plantest.Due, ErrorsInRow: 0})
			res, st := h.poll()
			if !st.NextDue.Equal(tt.want) || !res.NextDue.Equal(tt.want) || st.ErrorsInRow != tt.errors {
				t.Errorf("next due %v (result %v), errors %d; want %v, %d (err %v)", st.NextDue, res.NextDue, st.ErrorsInRow, tt.want, tt.errors, res.Err)
			}
		})
	}
}

func TestPoller_SuccessResetsErrors(t *testing.T) {
	h := newPollHarness(t, polltest.ServeFeed(nil))
	_ = h.store.SaveSourceState(context.Background(), "s1", model.SourceState{URL: h.src.URL, ErrorsInRow: 5, LastError: "HTTP 500"})
	if _, st := h.poll(); st.ErrorsInRow != 0 || st.LastError != "" || !st.LastSuccess.Equal(plantest.Now) {
		t.Errorf("state after success = %+v", st)
	}
}

func TestPoller_ExtraHeaders(t *testing.T) {
	var got atomic.Value
	h := newPollHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got.Store(r.Header.Get("X-Api-Key"))
		_, _ = w.Write([]byte(polltest.FeedRSS))
	}))
	h.src.Headers = map[string]string{"X-Api-Key": "k1"}
	h.poll()
	if v, _ := got.Load().(string); v != "k1" {
		t.Errorf("X-Api-Key = %q", v)
	}
}

// An unchanged body from a server that ignores validators is neither
// parsed nor stored.
func TestPoller_SameBody(t *testing.T) {
	h := newPollHarness(t, polltest.ServeFeed(nil))
	for i, want := range []bool{false, true, true} {
		res, _ := h.poll()
		if res.Err != nil || res.SameBody != want {
			t.Fatalf("poll %d: same body %v, want %v (err %v)", i+1, res.SameBody, want, res.Err)
		}
	}
	if h.store.Ingests() != 1 {
		t.Errorf("%d ingests, want 1", h.store.Ingests())
	}
}

func TestSkipped(t *testing.T) {
	src := model.Source{ID: "s1", URL: "https://example.com/feed"}
	tests := []struct {
		name string
		st   model.SourceState
		want bool
	}{
		{"never polled", model.SourceState{}, false},
		{"polled", model.SourceState{URL: src.URL, NextDue: plantest.Now}, false},
		{"paused", model.SourceState{URL: src.URL, Paused: true}, true},
		{"gone", model.SourceState{URL: src.URL, Gone: true}, true},
		{"gone, but the URL changed", model.SourceState{URL: "https://example.com/old", Gone: true}, false},
	}
	for _, tt := range tests {
		if got := Skipped(src, tt.st); got != tt.want {
			t.Errorf("%s: skipped = %v, want %v", tt.name, got, tt.want)
		}
	}
}
