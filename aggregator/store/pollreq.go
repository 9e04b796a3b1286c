package store

import (
	"context"
	"fmt"
	"time"
)

// DefaultPollRequestTTL is how long a poll request waits for an instance
// that polls: with none running, it lapses rather than firing hours later
// when one starts.
const DefaultPollRequestTTL = 10 * time.Minute

// RequestPolls marks each source as asked to be polled, for ttl. Every
// polling instance hears of the request (on AdminEvents), but only the
// one that takes the mark (TakePollRequest) fetches, so N pollers make one
// fetch, not N. One SET per source: valid on Redis Cluster whatever the
// slots.
func (s *Store) RequestPolls(ctx context.Context, ids []string, ttl time.Duration) error {
	if len(ids) == 0 {
		return nil
	}
	if ttl < time.Millisecond {
		return fmt.Errorf("request polls: ttl %v below 1ms", ttl)
	}
	pipe := s.client.Pipeline()
	for _, id := range ids {
		pipe.Set(ctx, s.keys.PollRequest(id), time.Now().UTC().Format(time.RFC3339Nano), ttl)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("request polls of %d sources: %w", len(ids), err)
	}
	return nil
}

// TakePollRequest removes the source's pending poll request and reports
// whether there was one: DEL is atomic, so of several instances taking the
// same request exactly one gets true. A request made while that poll runs
// sets the mark again and is served by another poll.
func (s *Store) TakePollRequest(ctx context.Context, sourceID string) (bool, error) {
	n, err := s.client.Del(ctx, s.keys.PollRequest(sourceID)).Result()
	if err != nil {
		return false, fmt.Errorf("take poll request of source %s: %w", sourceID, err)
	}
	return n == 1, nil
}
