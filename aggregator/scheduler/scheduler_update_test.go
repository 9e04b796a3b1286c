package scheduler

import (
	"context"
	"log/slog"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/poll/polltest"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// newUpdateScheduler makes a scheduler over sources a and b (hourly) with
// its due set on an embedded Redis; started, it waits for their first
// polls, so later counts are the Update's doing.
func newUpdateScheduler(t *testing.T, start bool) (*Scheduler, *countingFetcher, *store.Store) {
	t.Helper()
	f := &countingFetcher{}
	logger := slog.New(slog.DiscardHandler)
	due := newBubbleStore(t)
	p := poll.New(polltest.NewMemStore(), f, normalize.New(normalize.Options{}), []model.Section{{ID: "news", MaxItems: 10}}, logger)
	s, err := New(p, dueOn(due), []model.Source{updSource("a", "@every 1h"), updSource("b", "@every 1h")}, 2, logger)
	if err != nil {
		t.Fatal(err)
	}
	if !start {
		return s, f, due
	}
	if err := s.Start(context.Background()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop(context.Background()) })
	settle(t, "first polls of a and b", func() bool { return f.count("http://a.test/feed") == 1 && f.count("http://b.test/feed") == 1 })
	// Their next due times are written back with a later step.
	settle(t, "a and b scheduled minutes on", func() bool {
		d := dueSet(t, due)
		return d["a"].After(time.Now().Add(10*time.Minute)) && d["b"].After(time.Now().Add(10*time.Minute))
	})
	return s, f, due
}

func TestScheduler_Update(t *testing.T) {
	retitled := updSource("a", "@every 1h")
	retitled.Title = "renamed"
	moved := updSource("a", "@every 1h")
	moved.URL = "http://a.test/moved"
	tests := []struct {
		name                    string
		start                   bool
		sources                 []model.Source
		added, removed, changed int
		wantErr                 string
		// kept keep their due time; inSet lists every source in the due
		// set after the Update.
		kept, inSet []string
		// polled are fetched (once) soon after the Update, at url.
		polled map[string]string
	}{
		{name: "same list", start: true, sources: []model.Source{updSource("a", "@every 1h"), updSource("b", "@every 1h")},
			kept: []string{"a", "b"}, inSet: []string{"a", "b"}},
		{name: "add", start: true, sources: []model.Source{updSource("a", "@every 1h"), updSource("b", "@every 1h"), updSource("c", "@every 1h")},
			added: 1, kept: []string{"a", "b"}, inSet: []string{"a", "b", "c"}, polled: map[string]string{"c": "http://c.test/feed"}},
		{name: "remove", start: true, sources: []model.Source{updSource("a", "@every 1h")},
			removed: 1, kept: []string{"a"}, inSet: []string{"a"}},
		{name: "change schedule to a later one", start: true, sources: []model.Source{updSource("a", "@every 24h"), updSource("b", "@every 1h")},
			changed: 1, kept: []string{"a", "b"}, inSet: []string{"a", "b"}},
		{name: "change title", start: true, sources: []model.Source{retitled, updSource("b", "@every 1h")},
			changed: 1, kept: []string{"a", "b"}, inSet: []string{"a", "b"}},
		{name: "change URL", start: true, sources: []model.Source{moved, updSource("b", "@every 1h")},
			changed: 1, kept: []string{"b"}, inSet: []string{"a", "b"}, polled: map[string]string{"a": "http://a.test/moved"}},
		{name: "bad schedule kept out", start: true, sources: []model.Source{updSource("a", "@every 1h"), updSource("c", "every hour")},
			wantErr: "source http://c.test/feed", kept: []string{"a", "b"}, inSet: []string{"a", "b"}},
		{name: "before start", sources: []model.Source{updSource("c", "@every 1h")},
			added: 1, removed: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				s, f, due := newUpdateScheduler(t, tt.start)
				before := dueSet(t, due)
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
				if !tt.start {
					return
				}
				for id, url := range tt.polled {
					settle(t, "poll of "+id, func() bool { return f.count(url) == 1 })
				}
				settle(t, "the due set written", func() bool { return s.pendingWrites() == 0 && len(dueSet(t, due)) == len(tt.inSet) })
				after := dueSet(t, due)
				for _, id := range tt.inSet {
					if _, ok := after[id]; !ok {
						t.Errorf("source %s is not in the due set: %v", id, after)
					}
				}
				for _, id := range tt.kept {
					if !after[id].Equal(before[id]) {
						t.Errorf("source %s: due %v became %v; an unchanged source keeps its due time", id, before[id], after[id])
					}
				}
			})
		})
	}
}

// A shortened schedule applies at once: the source is polled at the new
// schedule's next firing although its due time (planned hourly) is an hour
// away; a removed source is not polled again.
func TestScheduler_UpdateScheduleApplies(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		s, f, _ := newUpdateScheduler(t, true)
		if _, _, _, err := s.Update([]model.Source{updSource("a", "@every 1s")}, []model.Section{{ID: "news", MaxItems: 10}}); err != nil {
			t.Fatal(err)
		}
		settle(t, "second and third polls of a on its new schedule", func() bool { return f.count("http://a.test/feed") >= 3 })
		if n := f.count("http://b.test/feed"); n != 1 {
			t.Errorf("removed source b fetched %d times, want 1 (before the Update)", n)
		}
		if got, want := s.next("a", time.Time{}).IsZero(), false; got != want {
			t.Errorf("Next(a) is zero: no schedule after the Update")
		}
	})
}
