package store

import (
	"context"
	"fmt"
	"time"
)

// EnsureMarker writes the store's marker key unless it exists, and reports
// whether it had to. The marker lives as long as the store's data: a daemon
// that finds it gone after having seen it knows Redis lost everything (a
// restart without persistence, a FLUSHALL) and that its sources' stored
// state went with it.
func (s *Store) EnsureMarker(ctx context.Context) (created bool, err error) {
	created, err = s.client.SetNX(ctx, s.keys.Marker(), time.Now().UTC().Format(time.RFC3339), 0).Result()
	if err != nil {
		return false, fmt.Errorf("ensure store marker: %w", err)
	}
	return created, nil
}
