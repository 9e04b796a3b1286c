package aggregator

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// fakeLeaser grants or refuses leases and records releases.
type fakeLeaser struct {
	mu       sync.Mutex
	grant    bool
	err      error
	acquired []string
	released []string
}

func (f *fakeLeaser) AcquireLease(_ context.Context, id string, ttl time.Duration) (string, bool, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.err != nil || !f.grant {
		return "", false, f.err
	}
	f.acquired = append(f.acquired, id)
	return "tok-" + id, true, nil
}

func (f *fakeLeaser) ReleaseLease(_ context.Context, id, token string) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if token != "tok-"+id {
		return errors.New("wrong token")
	}
	f.released = append(f.released, id)
	return nil
}

func TestScheduler_PollNowLease(t *testing.T) {
	tests := []struct {
		name       string
		leaser     *fakeLeaser
		wantPolled bool
	}{
		{"granted", &fakeLeaser{grant: true}, true},
		{"held elsewhere", &fakeLeaser{grant: false}, false},
		{"redis down", &fakeLeaser{err: errors.New("connection refused")}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newPollHarness(t, serveFeed(nil))
			s, err := NewScheduler(h.poller, []model.Source{h.src}, 2, slog.New(slog.DiscardHandler))
			if err != nil {
				t.Fatal(err)
			}
			s.Leases = tt.leaser
			_, polled := s.PollNow(context.Background(), h.src)
			if polled != tt.wantPolled {
				t.Fatalf("polled = %v, want %v", polled, tt.wantPolled)
			}
			if tt.wantPolled && (len(tt.leaser.released) != 1 || tt.leaser.released[0] != h.src.ID) {
				t.Errorf("released = %v, want the source's lease released once", tt.leaser.released)
			}
		})
	}
}

// Under the lease the state is read again: a due time another instance
// served in the meantime is not polled twice.
func TestScheduler_runRereadsUnderLease(t *testing.T) {
	h := newPollHarness(t, serveFeed(nil))
	s, err := NewScheduler(h.poller, []model.Source{h.src}, 2, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s.Leases = &fakeLeaser{grant: true}
	// Another instance polled and recorded the next due time.
	_ = h.store.SaveSourceState(context.Background(), h.src.ID, store.SourceState{URL: h.src.URL, NextDue: planNow.Add(15 * time.Minute)})
	if _, polled := s.run(context.Background(), h.src, whenDue); polled {
		t.Error("polled a source that is not due")
	}
	_ = h.store.SaveSourceState(context.Background(), h.src.ID, store.SourceState{URL: h.src.URL, NextDue: planNow})
	if res, polled := s.run(context.Background(), h.src, whenDue); !polled || !res.Due.Equal(planNow) {
		t.Errorf("polled %v, due %v; want a poll of the due time %v", polled, res.Due, planNow)
	}
}

func TestScheduler_isDue(t *testing.T) {
	src := model.Source{ID: "s1", URL: "https://example.com/feed"}
	tests := []struct {
		name string
		st   store.SourceState
		want bool
	}{
		{"never polled", store.SourceState{}, true},
		{"due", store.SourceState{URL: src.URL, NextDue: planNow}, true},
		{"due within the slack", store.SourceState{URL: src.URL, NextDue: planNow.Add(dueSlack / 2)}, true},
		{"not due", store.SourceState{URL: src.URL, NextDue: planNow.Add(time.Second)}, false},
		{"paused", store.SourceState{URL: src.URL, Disabled: true}, false},
		{"gone", store.SourceState{URL: src.URL, Gone: true}, false},
		{"gone, but the URL changed", store.SourceState{URL: "https://example.com/old", Gone: true, NextDue: planNow.Add(time.Hour)}, true},
		{"URL changed", store.SourceState{URL: "https://example.com/old", NextDue: planNow.Add(time.Hour)}, true},
	}
	s := &Scheduler{poller: &Poller{Now: func() time.Time { return planNow }}}
	for _, tt := range tests {
		if got := s.isDue(src, tt.st); got != tt.want {
			t.Errorf("%s: isDue = %v, want %v", tt.name, got, tt.want)
		}
	}
}

// Sources of a busy host wait for its slot without holding a global slot,
// so another host's source is polled meanwhile.
func TestScheduler_perHostBeforeGlobal(t *testing.T) {
	release := make(chan struct{})
	entered := make(chan struct{}, 4)
	slow := newPollHarness(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		entered <- struct{}{}
		<-release
		_, _ = w.Write([]byte(feedRSS))
	}))
	fast := newPollHarness(t, serveFeed(nil))
	a1, a2 := slow.src, slow.src
	a2.ID, a2.URL = "s2", slow.srv.URL+"/feed?2"
	b := fast.src
	b.ID = "s3"
	s, err := NewScheduler(slow.poller, []model.Source{a1, a2, b}, 2, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	s.PerHost = 1
	var wg sync.WaitGroup
	for _, src := range []model.Source{a1, a2} {
		wg.Go(func() { s.PollNow(context.Background(), src) })
	}
	defer func() { close(release); wg.Wait() }()
	<-entered // one poll of the slow host is in flight, the other waits for its host
	done := make(chan bool)
	go func() { _, ok := s.PollNow(context.Background(), b); done <- ok }()
	select {
	case ok := <-done:
		if !ok {
			t.Error("the other host's source was skipped")
		}
	case <-time.After(10 * time.Second):
		t.Fatal("a source of another host waited behind the busy host")
	}
}
