package store

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// ErrLeaseLost is returned by ReleaseLease when the lease is no longer held
// with the given token: it expired, and maybe another instance took it.
// Work done under it may have overlapped with another poll of the source.
var ErrLeaseLost = errors.New("lease not held")

// releaseLeaseScript deletes the lease only if it still holds the caller's
// token, so an instance whose lease expired cannot release another's.
const releaseLeaseScript = `
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`

// AcquireLease tries to take the poll lease of a source for ttl (SET NX PX
// with a random token). ok is false, with no error, when another holder has
// it. The token is needed to release it.
func (s *Store) AcquireLease(ctx context.Context, sourceID string, ttl time.Duration) (token string, ok bool, err error) {
	if ttl < time.Millisecond {
		// A zero TTL would make SET keep the key forever: a crashed
		// holder would then block the source for good.
		return "", false, fmt.Errorf("acquire lease for source %s: ttl %v below 1ms", sourceID, ttl)
	}
	token, err = newToken()
	if err != nil {
		return "", false, fmt.Errorf("acquire lease for source %s: %w", sourceID, err)
	}
	err = s.client.SetArgs(ctx, s.keys.SourceLock(sourceID), token, redis.SetArgs{Mode: "NX", TTL: ttl}).Err()
	if errors.Is(err, redis.Nil) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("acquire lease for source %s: %w", sourceID, err)
	}
	return token, true, nil
}

// ReleaseLease releases a source's poll lease if token still holds it
// (compare-and-delete in Lua). It returns ErrLeaseLost otherwise and leaves
// the key alone.
func (s *Store) ReleaseLease(ctx context.Context, sourceID, token string) error {
	n, err := s.release.Run(ctx, s.client, []string{s.keys.SourceLock(sourceID)}, token).Int()
	if err != nil {
		return fmt.Errorf("release lease for source %s: %w", sourceID, err)
	}
	if n == 0 {
		return fmt.Errorf("release lease for source %s: %w", sourceID, ErrLeaseLost)
	}
	return nil
}

func newToken() (string, error) {
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "", fmt.Errorf("random token: %w", err)
	}
	return hex.EncodeToString(b[:]), nil
}
