package dueset

import (
	"context"
	"fmt"
	"time"
)

// DefaultPollRequestTTL is how long a poll request waits for an instance
// that polls: with none running, the request lapses (the source stays due,
// and the instance that eventually claims it polls it as a due poll).
const DefaultPollRequestTTL = 10 * time.Minute

// RequestPolls asks for a poll of each source now, for ttl. The source
// becomes due at once in the shared due set, so exactly one polling
// instance claims it, and the claim takes the request's mark (Claim.
// Requested). Every polling instance hears of the request too (on the
// store's AdminEvents), which only wakes its scheduler. A request made
// while the source is being polled is served by another poll right after.
// One script per shard: the marks share their shard's slot on Redis
// Cluster.
func (s *Set) RequestPolls(ctx context.Context, ids []string, ttl time.Duration) error {
	if len(ids) == 0 {
		return nil
	}
	if ttl < time.Millisecond {
		return fmt.Errorf("request polls: ttl %v below 1ms", ttl)
	}
	now := time.Now()
	for i, ids := range s.byShard(ids) {
		args := make([]any, 0, 4+len(ids))
		args = append(args, ms(now), ttl.Milliseconds(), s.keys.pollRequests(i), now.UTC().Format(time.RFC3339Nano))
		for _, id := range ids {
			args = append(args, id)
		}
		if err := requestPolls.Run(ctx, s.client, s.shardKeys(i), args...).Err(); err != nil {
			return fmt.Errorf("request polls of %d sources: %w", len(ids), err)
		}
	}
	return nil
}

// ClearClaims releases every claim on the due set, making each claimed
// source due now, and returns how many there were. Only for a store no
// other process uses (the embedded one): a claim restored from a snapshot
// belongs to a process that was killed mid-poll, and its source would
// otherwise wait for the claim's deadline.
func (s *Set) ClearClaims(ctx context.Context) (int, error) {
	total := 0
	for i := range s.keys.Shards {
		n, err := releaseClaims.Run(ctx, s.client, s.shardKeys(i), ms(time.Now())).Int()
		if err != nil {
			return total, fmt.Errorf("clear claims: %w", err)
		}
		total += n
	}
	return total, nil
}
