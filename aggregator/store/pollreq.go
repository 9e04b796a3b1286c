package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// DefaultPollRequestTTL is how long a poll request waits for an instance
// that polls: with none running, the request lapses (the source stays due,
// and the instance that eventually claims it polls it as a due poll).
const DefaultPollRequestTTL = 10 * time.Minute

// requestPollsScript marks each source as asked for (a key with a TTL) and
// makes it due now, unless it is due earlier already or a live claim holds
// it: that poll's completion sees the mark and makes it due again at once.
// KEYS: due set, claims. ARGV: now ms, ttl ms, poll request key prefix,
// mark value, then ids.
const requestPollsScript = `
local due, claims = KEYS[1], KEYS[2]
local now = tonumber(ARGV[1])
for i = 5, #ARGV do
  local id = ARGV[i]
  redis.call('SET', ARGV[3] .. id, ARGV[4], 'PX', ARGV[2])
  local cur = redis.call('ZSCORE', due, id)
  if cur then cur = tonumber(cur) end
  local held = cur and cur > now and redis.call('HEXISTS', claims, id) == 1
  if not held and (not cur or cur > now) then
    redis.call('ZADD', due, now, id)
  end
end
return #ARGV - 4
`

var requestPolls = redis.NewScript(requestPollsScript)

// RequestPolls asks for a poll of each source now, for ttl. The source
// becomes due at once in the shared due set, so exactly one polling
// instance claims it, and the claim takes the request's mark (Claim.
// Requested). Every polling instance hears of the request too (on
// AdminEvents), which only wakes its scheduler. A request made while the
// source is being polled is served by another poll right after. One
// script: the marks share the due set's slot on Redis Cluster.
func (s *Store) RequestPolls(ctx context.Context, ids []string, ttl time.Duration) error {
	if len(ids) == 0 {
		return nil
	}
	if ttl < time.Millisecond {
		return fmt.Errorf("request polls: ttl %v below 1ms", ttl)
	}
	now := time.Now()
	args := make([]any, 0, 4+len(ids))
	args = append(args, ms(now), ttl.Milliseconds(), s.keys.PollRequest(""), now.UTC().Format(time.RFC3339Nano))
	for _, id := range ids {
		args = append(args, id)
	}
	if err := requestPolls.Run(ctx, s.client, s.dueKeys(), args...).Err(); err != nil {
		return fmt.Errorf("request polls of %d sources: %w", len(ids), err)
	}
	return nil
}
