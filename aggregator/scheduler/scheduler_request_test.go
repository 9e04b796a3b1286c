package scheduler

import (
	"context"
	"log/slog"
	"testing"
	"testing/synctest"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
)

// Every polling instance hears an admin poll request and wakes; the
// request made the source due in the shared due set, so exactly one
// instance claims it and fetches, once per request.
func TestScheduler_requestedPollOnce(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		f := &countingFetcher{}
		st := newBubbleStore(t)
		src := model.Source{ID: "s1", URL: "http://s1.test/feed", Schedule: "@every 1h", Location: time.UTC, SectionIDs: []string{"news"}}
		fetches := func() int { return f.count(src.URL) }
		var instances []*Scheduler
		for range 2 {
			p := poll.New(st, f, normalize.New(normalize.Options{}),
				[]model.Section{{ID: "news", MaxItems: 10, SourceIDs: []string{"s1"}}}, slog.New(slog.DiscardHandler))
			s, err := New(p, dueOn(st), []model.Source{src}, 2, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Start(ctx); err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { s.Stop(ctx) })
			instances = append(instances, s)
		}
		// settled: the source is scheduled minutes on (an off-phase poll lets
		// a firing less than 15 minutes away pass) and no request is
		// pending, so no instance can claim it again: nothing more will fetch.
		settled := func() bool {
			n, err := st.Client().Exists(ctx, dueOn(st).Keys().PollRequest(src.ID)).Result()
			return err == nil && n == 0 && dueSet(t, st)[src.ID].After(time.Now().Add(10*time.Minute))
		}
		settle(t, "the first poll", func() bool { return fetches() == 1 && settled() })
		for i := range 3 {
			if err := dueOn(st).RequestPolls(ctx, []string{src.ID}, time.Minute); err != nil {
				t.Fatal(err)
			}
			for _, s := range instances {
				if got := s.Trigger([]string{src.ID, "unknown"}); len(got) != 1 || got[0] != src.ID {
					t.Errorf("Trigger returned %v, want [%s]", got, src.ID)
				}
			}
			want := 2 + i
			settle(t, "the requested poll", func() bool { return fetches() >= want && settled() })
			if n := fetches(); n != want {
				t.Fatalf("request %d: fetched %d times in all, want %d (once per request)", i+1, n, want)
			}
		}
	})
}
