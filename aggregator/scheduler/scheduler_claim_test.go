package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/poll/polltest"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan/plantest"
)

// downDue is a due set whose Redis does not answer.
type downDue struct{ err error }

func (d downDue) DueStep(context.Context, []dueset.Completion, time.Time, int, time.Duration, string) (dueset.DueBatch, error) {
	return dueset.DueBatch{}, d.err
}

func (d downDue) ClaimSource(context.Context, string, time.Time, time.Duration, string) (dueset.Claim, bool, error) {
	return dueset.Claim{}, false, d.err
}

func (d downDue) ClaimSources(context.Context, []string, time.Time, time.Duration, string) ([]dueset.Claim, []bool, error) {
	return nil, nil, d.err
}

func (d downDue) SeedDue(context.Context, []string, time.Time) (int, error)          { return 0, d.err }
func (d downDue) ScheduleDue(context.Context, map[string]time.Time, time.Time) error { return d.err }
func (d downDue) RemoveDue(context.Context, []string) error                          { return d.err }

// PollMany polls a source no one else is polling and completes its
// claim; it skips one another instance holds, or when Redis is down.
func TestScheduler_PollManyClaim(t *testing.T) {
	tests := []struct {
		name       string
		due        func(t *testing.T, src model.Source) DueSet
		wantPolled bool
	}{
		{"free", func(t *testing.T, _ model.Source) DueSet { return dueOn(newDueStore(t)) }, true},
		{"polled by another instance", func(t *testing.T, src model.Source) DueSet {
			st := newDueStore(t)
			if _, ok, err := dueOn(st).ClaimSource(context.Background(), src.ID, plantest.Now, time.Minute, "other"); err != nil || !ok {
				t.Fatalf("claim = %v, %v", ok, err)
			}
			return dueOn(st)
		}, false},
		{"redis down", func(*testing.T, model.Source) DueSet { return downDue{errors.New("connection refused")} }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			poller, src := newFeedPoller(t)
			due := tt.due(t, src)
			s, err := New(poller, due, []model.Source{src}, 2, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			var log manyLog
			s.PollMany(context.Background(), []model.Source{src}, log.add)
			res, polled := log.polled[src.ID]
			if polled != tt.wantPolled || log.calls[src.ID] != 1 {
				t.Fatalf("polled = %v in %d reports, want %v in one", polled, log.calls[src.ID], tt.wantPolled)
			}
			if !tt.wantPolled {
				return
			}
			// The claim is completed: the source waits for its next due
			// time, not for the claim's deadline.
			got := dueSources(t, due.(*dueset.Set))[src.ID]
			if want := res.NextDue.Truncate(time.Millisecond); !got.Equal(want) || got.Before(plantest.Now) {
				t.Errorf("due after PollMany = %v, want the poll's next due %v", got, want)
			}
		})
	}
}

// `tributary check` and the scheduler read schedules with one parser: a
// spec one refuses, the other refuses with the same words.
func TestScheduler_schedulesParsedLikeCheck(t *testing.T) {
	p := poll.New(polltest.NewMemStore(), &countingFetcher{}, nil, nil, slog.New(slog.DiscardHandler))
	for _, spec := range []string{"@every 500ms", "TZ=UTC @every 10ms", "TZ=0", "61 * * * *"} {
		t.Run(spec, func(t *testing.T) {
			want := config.ValidateSchedule(spec)
			if want == nil {
				t.Fatalf("check accepts %q", spec)
			}
			_, err := New(p, downDue{}, []model.Source{updSource("a", spec)}, 1, slog.New(slog.DiscardHandler))
			if err == nil || !strings.HasSuffix(err.Error(), want.Error()) {
				t.Errorf("scheduler error = %v, want one ending in %q", err, want)
			}
		})
	}
	// A zone prefix does not take the fixed phase away from @every.
	s, err := New(p, downDue{}, []model.Source{updSource("a", "CRON_TZ=Asia/Shanghai @every 15m"), updSource("b", "@every 15m")}, 1, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 10, 17, 10, 0, 0, 0, time.UTC)
	want := config.PhasedEvery{Interval: 15 * time.Minute, Phase: config.Phase("a", 15*time.Minute)}.Next(at)
	if got := s.next("a", at); !got.Equal(want) {
		t.Errorf("CRON_TZ=Asia/Shanghai @every 15m: next %v, want the fixed phase %v", got, want)
	}
}
