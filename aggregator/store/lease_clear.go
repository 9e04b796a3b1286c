package store

import (
	"context"
	"fmt"
	"time"
)

// ClearLeases releases every claim on the due set, making each claimed
// source due now, and returns how many there were. Only for a store no
// other process uses (the embedded one): a claim restored from a snapshot
// belongs to a process that was killed mid-poll, and its source would
// otherwise wait for the claim's deadline.
func (s *Store) ClearLeases(ctx context.Context) (int, error) {
	n, err := releaseClaims.Run(ctx, s.client, s.dueKeys(), ms(time.Now())).Int()
	if err != nil {
		return 0, fmt.Errorf("clear claims: %w", err)
	}
	return n, nil
}
