package scheduler

import (
	"context"
	"errors"
	"log/slog"
	"sync"
	"testing"
	"time"
)

// scriptedMarker answers EnsureMarker from a script, then cancels the
// watcher's context.
type scriptedMarker struct {
	mu      sync.Mutex
	answers []markerAnswer
	cancel  context.CancelFunc
}

type markerAnswer struct {
	created bool
	err     error
}

func (m *scriptedMarker) EnsureMarker(context.Context) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.answers) == 0 {
		m.cancel()
		return false, nil
	}
	a := m.answers[0]
	m.answers = m.answers[1:]
	return a.created, a.err
}

func TestResetWatcher(t *testing.T) {
	down := errors.New("connection refused")
	tests := []struct {
		name    string
		answers []markerAnswer
		resets  int
	}{
		{"first start writes the marker, no reset", []markerAnswer{{true, nil}, {false, nil}}, 0},
		{"restart on a kept store", []markerAnswer{{false, nil}, {false, nil}}, 0},
		{"marker gone later: reset", []markerAnswer{{true, nil}, {false, nil}, {true, nil}, {false, nil}}, 1},
		{"two losses: two resets", []markerAnswer{{false, nil}, {true, nil}, {false, nil}, {true, nil}}, 2},
		{"Redis down says nothing", []markerAnswer{{true, nil}, {false, down}, {false, down}, {false, nil}}, 0},
		{"down, then back empty", []markerAnswer{{false, nil}, {false, down}, {true, nil}}, 1},
		{"down from the start, then first write", []markerAnswer{{false, down}, {true, nil}, {false, nil}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			m := &scriptedMarker{answers: tt.answers, cancel: cancel}
			resets := 0
			w := &ResetWatcher{Store: m, Every: time.Millisecond, OnReset: func() { resets++ }, Logger: slog.New(slog.DiscardHandler)}
			w.Run(ctx)
			if resets != tt.resets {
				t.Errorf("resets = %d, want %d", resets, tt.resets)
			}
		})
	}
}
