package publish

import (
	"context"
	"fmt"
	"time"
)

// Run re-checks every section's version each RecheckInterval until ctx is
// done, dropping cached renders the store has moved past. Change events
// normally do that at once; pub/sub loses messages published while its
// connection is down, and this bounds how long such a loss shows.
func (s *Server) Run(ctx context.Context) {
	t := time.NewTicker(s.opts.RecheckInterval)
	defer t.Stop()
	failing := false
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		err := s.Recheck(ctx)
		// Log once per state change, not on every tick of an outage.
		switch {
		case err != nil && !failing && ctx.Err() == nil:
			s.log.Warn("re-check section versions", "error", err)
		case err == nil && failing:
			s.log.Info("re-check section versions works again")
		}
		failing = err != nil
	}
}

// Recheck reads every section's version in one round trip and invalidates
// the sections whose cached renders were made at another version; when the
// store does not answer, every section (their renders are served stale).
func (s *Server) Recheck(ctx context.Context) error {
	ids := s.cat().sectionIDs
	if len(ids) == 0 {
		return nil
	}
	metas, err := s.reader.SectionMetas(ctx, ids)
	if err != nil {
		if ctx.Err() == nil {
			// The store cannot vouch for the cached renders any more: they
			// move to the stale side, so answers say so (Warning) until a
			// render at the store's version replaces them.
			for _, id := range ids {
				s.Invalidate(id)
			}
		}
		return fmt.Errorf("read section versions: %w", err)
	}
	for _, id := range ids {
		if s.cache.outdated(id, metas[id].Version) {
			s.Invalidate(id)
		}
	}
	return nil
}
