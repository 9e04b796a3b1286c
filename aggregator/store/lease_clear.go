package store

import (
	"context"
	"fmt"
)

// ClearLeases deletes every poll lease and returns how many there were.
// Only for a store no other process uses (the embedded one): a lease
// restored from a snapshot belongs to a process that was killed mid-poll,
// and would otherwise block that source's polls until it expired.
func (s *Store) ClearLeases(ctx context.Context) (int, error) {
	n := 0
	iter := s.client.Scan(ctx, 0, s.keys.SourceLock("*"), 1000).Iterator()
	for iter.Next(ctx) {
		if err := s.client.Del(ctx, iter.Val()).Err(); err != nil {
			return n, fmt.Errorf("clear leases: %w", err)
		}
		n++
	}
	if err := iter.Err(); err != nil {
		return n, fmt.Errorf("clear leases: %w", err)
	}
	return n, nil
}
