package store

import (
	"context"
	"fmt"
	"strconv"
)

// ReenableSource clears a source's gone and paused flags and makes it due
// at once, for an operator who knows a 410 was a
// mistake or wants a paused source back. The scheduler picks it up at the
// source's next firing.
func (s *Store) ReenableSource(ctx context.Context, sourceID string) error {
	prev, err := s.SourceState(ctx, sourceID)
	if err != nil {
		return fmt.Errorf("re-enable source %s: %w", sourceID, err)
	}
	next := prev
	next.Gone, next.Paused = false, false
	// The failure streak is kept: the poll it triggers at once either
	// ends it (and the webhook hears "recovered" for a source it heard
	// was failing) or continues it, with the backoff it has earned.
	pipe := s.client.Pipeline()
	pipe.HSet(ctx, s.keys.SourceState(sourceID), "gone", "false", "disabled", "false", "next_due", "")
	countTransition(ctx, pipe, s.keys.SourceStateCounts(), prev.State(), next.State())
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("re-enable source %s: %w", sourceID, err)
	}
	return nil
}

// PauseSource sets or clears a source's paused flag (state field disabled).
// A paused source keeps its entries but is not polled.
func (s *Store) PauseSource(ctx context.Context, sourceID string, paused bool) error {
	prev, err := s.SourceState(ctx, sourceID)
	if err != nil {
		return fmt.Errorf("pause source %s: %w", sourceID, err)
	}
	next := prev
	next.Paused = paused
	pipe := s.client.Pipeline()
	pipe.HSet(ctx, s.keys.SourceState(sourceID), "disabled", strconv.FormatBool(paused))
	countTransition(ctx, pipe, s.keys.SourceStateCounts(), prev.State(), next.State())
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("pause source %s: %w", sourceID, err)
	}
	return nil
}
