package aggregator

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// countingFetcher serves feedRSS and counts fetches per URL.
type countingFetcher struct {
	mu sync.Mutex
	n  map[string]int
}

func (f *countingFetcher) Fetch(_ context.Context, req fetch.Request) (*fetch.Response, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.n == nil {
		f.n = map[string]int{}
	}
	f.n[req.URL]++
	return &fetch.Response{URL: req.URL, StatusCode: 200, Body: []byte(feedRSS)}, nil
}

func (f *countingFetcher) count(url string) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.n[url]
}

func updSource(id, schedule string) model.Source {
	return model.Source{ID: id, URL: "http://" + id + ".test/feed", Schedule: schedule, Location: time.UTC, SectionIDs: []string{"news"}}
}

// newUpdateScheduler starts a scheduler over sources a and b (hourly) and
// waits for their first (catch-up) polls, so later counts are the
// Update's doing.
func newUpdateScheduler(t *testing.T, start bool) (*Scheduler, *countingFetcher) {
	t.Helper()
	f := &countingFetcher{}
	logger := slog.New(slog.DiscardHandler)
	p := NewPoller(newMemStore(), f, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
	s, err := NewScheduler(p, []model.Source{updSource("a", "@every 1h"), updSource("b", "@every 1h")}, 2, logger)
	if err != nil {
		t.Fatal(err)
	}
	if !start {
		return s, f
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(context.Background()) })
	waitFor(t, "catch-up polls of a and b", func() bool { return f.count("http://a.test/feed") == 1 && f.count("http://b.test/feed") == 1 })
	return s, f
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("after 10s: no %s", what)
		}
		time.Sleep(10 * time.Millisecond) // polling a condition, not waiting for it
	}
}

func (s *Scheduler) entryIDs() map[string]cron.EntryID {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := map[string]cron.EntryID{}
	for id, e := range s.entries {
		out[id] = e
	}
	return out
}

func TestScheduler_Update(t *testing.T) {
	retitled := updSource("a", "@every 1h")
	retitled.Title = "renamed"
	tests := []struct {
		name                    string
		start                   bool
		sources                 []model.Source
		added, removed, changed int
		wantErr                 string
		// kept have the same cron entry as before; entries lists every
		// source with one after the Update.
		kept, entries []string
		// polled are fetched once more (their catch-up poll).
		polled []string
	}{
		{name: "same list", start: true, sources: []model.Source{updSource("a", "@every 1h"), updSource("b", "@every 1h")},
			kept: []string{"a", "b"}, entries: []string{"a", "b"}},
		{name: "add", start: true, sources: []model.Source{updSource("a", "@every 1h"), updSource("b", "@every 1h"), updSource("c", "@every 1h")},
			added: 1, kept: []string{"a", "b"}, entries: []string{"a", "b", "c"}, polled: []string{"c"}},
		{name: "remove", start: true, sources: []model.Source{updSource("a", "@every 1h")},
			removed: 1, kept: []string{"a"}, entries: []string{"a"}},
		{name: "change schedule", start: true, sources: []model.Source{updSource("a", "@every 2h"), updSource("b", "@every 1h")},
			changed: 1, kept: []string{"b"}, entries: []string{"a", "b"}},
		{name: "change title", start: true, sources: []model.Source{retitled, updSource("b", "@every 1h")},
			changed: 1, kept: []string{"b"}, entries: []string{"a", "b"}},
		{name: "bad schedule kept out", start: true, sources: []model.Source{updSource("a", "@every 1h"), updSource("c", "every hour")},
			wantErr: "source http://c.test/feed", kept: []string{"a", "b"}, entries: []string{"a", "b"}},
		{name: "before start", sources: []model.Source{updSource("c", "@every 1h")},
			added: 1, removed: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, f := newUpdateScheduler(t, tt.start)
			before := s.entryIDs()
			added, removed, changed, err := s.Update(tt.sources, []model.Section{{ID: "news", MaxItems: 10}})
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("err = %v, want one containing %q", err, tt.wantErr)
				}
			} else if err != nil {
				t.Fatal(err)
			}
			if added != tt.added || removed != tt.removed || changed != tt.changed {
				t.Errorf("added, removed, changed = %d, %d, %d; want %d, %d, %d", added, removed, changed, tt.added, tt.removed, tt.changed)
			}
			after := s.entryIDs()
			if len(after) != len(tt.entries) {
				t.Errorf("cron entries for %v, want %v", after, tt.entries)
			}
			for _, id := range tt.entries {
				if _, ok := after[id]; !ok {
					t.Errorf("source %s has no cron entry", id)
				}
			}
			for _, id := range tt.kept {
				if after[id] != before[id] {
					t.Errorf("source %s: cron entry %d replaced by %d; an unchanged source keeps its entry", id, before[id], after[id])
				}
			}
			for _, id := range tt.polled {
				waitFor(t, "catch-up poll of "+id, func() bool { return f.count("http://"+id+".test/feed") == 1 })
			}
		})
	}
}

// A shortened schedule applies at once: the source is polled at the new
// schedule's next firing although its stored next_due (planned hourly) is
// an hour away; a removed source is not polled again.
func TestScheduler_UpdateScheduleApplies(t *testing.T) {
	s, f := newUpdateScheduler(t, true)
	if _, _, _, err := s.Update([]model.Source{updSource("a", "@every 1s")}, []model.Section{{ID: "news", MaxItems: 10}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, "second and third polls of a on its new schedule", func() bool { return f.count("http://a.test/feed") >= 3 })
	if n := f.count("http://b.test/feed"); n != 1 {
		t.Errorf("removed source b fetched %d times, want 1 (before the Update)", n)
	}
	if got, want := s.Next("a", time.Time{}).IsZero(), false; got != want {
		t.Errorf("Next(a) is zero: no schedule after the Update")
	}
}
