package aggregator

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// downDue is a due set whose Redis does not answer.
type downDue struct{ err error }

func (d downDue) DueStep(context.Context, []store.Completion, time.Time, int, time.Duration, string) (store.DueBatch, error) {
	return store.DueBatch{}, d.err
}

func (d downDue) ClaimSource(context.Context, string, time.Time, time.Duration, string) (store.Claim, bool, error) {
	return store.Claim{}, false, d.err
}

func (d downDue) SeedDue(context.Context, []string, time.Time) (int, error)          { return 0, d.err }
func (d downDue) ScheduleDue(context.Context, map[string]time.Time, time.Time) error { return d.err }
func (d downDue) RemoveDue(context.Context, []string) error                          { return d.err }

func TestScheduler_PollNowClaim(t *testing.T) {
	tests := []struct {
		name       string
		due        func(t *testing.T, src model.Source) DueSet
		wantPolled bool
	}{
		{"free", func(t *testing.T, _ model.Source) DueSet { return newDueStore(t) }, true},
		{"polled by another instance", func(t *testing.T, src model.Source) DueSet {
			st := newDueStore(t)
			if _, ok, err := st.ClaimSource(context.Background(), src.ID, planNow, time.Minute, "other"); err != nil || !ok {
				t.Fatalf("claim = %v, %v", ok, err)
			}
			return st
		}, false},
		{"redis down", func(*testing.T, model.Source) DueSet { return downDue{errors.New("connection refused")} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newPollHarness(t, serveFeed(nil))
			due := tt.due(t, h.src)
			s, err := NewScheduler(h.poller, due, []model.Source{h.src}, 2, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			res, polled := s.PollNow(context.Background(), h.src)
			if polled != tt.wantPolled {
				t.Fatalf("polled = %v, want %v", polled, tt.wantPolled)
			}
			if !tt.wantPolled {
				return
			}
			// The claim is completed: the source waits for its next due
			// time, not for the claim's deadline.
			got := dueSet(t, due.(*store.Store))[h.src.ID]
			if want := res.NextDue.Truncate(time.Millisecond); !got.Equal(want) || got.Before(planNow) {
				t.Errorf("due after PollNow = %v, want the poll's next due %v", got, want)
			}
		})
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
		{"polled", model.SourceState{URL: src.URL, NextDue: planNow}, false},
		{"paused", model.SourceState{URL: src.URL, Paused: true}, true},
		{"gone", model.SourceState{URL: src.URL, Gone: true}, true},
		{"gone, but the URL changed", model.SourceState{URL: "https://example.com/old", Gone: true}, false},
	}
	for _, tt := range tests {
		if got := skipped(src, tt.st); got != tt.want {
			t.Errorf("%s: skipped = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// `tributary check` and the scheduler read schedules with one parser: a
// spec one refuses, the other refuses with the same words.
func TestScheduler_schedulesParsedLikeCheck(t *testing.T) {
	p := NewPoller(newMemStore(), &countingFetcher{}, nil, nil, slog.New(slog.DiscardHandler))
	for _, spec := range []string{"@every 500ms", "TZ=UTC @every 10ms", "TZ=0", "61 * * * *"} {
		t.Run(spec, func(t *testing.T) {
			want := config.ValidateSchedule(spec)
			if want == nil {
				t.Fatalf("check accepts %q", spec)
			}
			_, err := NewScheduler(p, downDue{}, []model.Source{updSource("a", spec)}, 1, slog.New(slog.DiscardHandler))
			if err == nil || !strings.HasSuffix(err.Error(), want.Error()) {
				t.Errorf("scheduler error = %v, want one ending in %q", err, want)
			}
		})
	}
	// A zone prefix does not take the fixed phase away from @every.
	s, err := NewScheduler(p, downDue{}, []model.Source{updSource("a", "CRON_TZ=Asia/Shanghai @every 15m"), updSource("b", "@every 15m")}, 1, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 17, 10, 0, 0, 0, time.UTC)
	want := config.PhasedEvery{Interval: 15 * time.Minute, Phase: config.Phase("a", 15*time.Minute)}.Next(at)
	if got := s.next("a", at); !got.Equal(want) {
		t.Errorf("CRON_TZ=Asia/Shanghai @every 15m: next %v, want the fixed phase %v", got, want)
	}
}
