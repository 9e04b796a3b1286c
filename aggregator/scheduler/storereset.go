package scheduler

import (
	"context"
	"log/slog"
	"time"
)

// DefaultResetCheck is how often ResetWatcher looks for the store marker.
const DefaultResetCheck = 10 * time.Second

// Marker is the part of the store ResetWatcher uses (store.Store).
type Marker interface {
	EnsureMarker(ctx context.Context) (created bool, err error)
}

// ResetWatcher notices a store that lost its data while the daemon runs
// (Redis restarted empty) by a marker key written at start: when a later
// check has to write it again, everything under it is gone too — the
// sources' state and the due set that schedules them — so OnReset runs
// (the daemon makes every source due now: Scheduler.RepollAll). A check
// that fails (Redis down) changes nothing.
type ResetWatcher struct {
	Store   Marker
	Every   time.Duration // DefaultResetCheck when not positive
	OnReset func()
	Logger  *slog.Logger
}

// Run checks every Every until ctx is done. The first check only writes
// the marker: an empty store at start is a first start, and the
// scheduler's start seeds every source missing from the due set, due now.
func (w *ResetWatcher) Run(ctx context.Context) {
	every := w.Every
	if every <= 0 {
		every = DefaultResetCheck
	}
	seen := false
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		created, err := w.Store.EnsureMarker(ctx)
		switch {
		case err != nil:
			// Redis down: nothing to conclude until it answers again.
		case created && seen:
			w.Logger.Warn("store lost its data (marker key gone): re-polling every source")
			w.OnReset()
		default:
			seen = true
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
