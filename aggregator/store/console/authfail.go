package console

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Failed admin-token checks: a count per client and window, which the
// limit of every token check reads on every instance, and an aggregate
// record per client and window, kept apart from the audit log so that
// guessing from many addresses cannot push real records out of it.

// AuthFailCap is how many aggregate records of failed token checks the
// store keeps (one per client and window, a few dozen bytes each); the
// oldest go first. It is kept small because the embedded store's sorted
// sets slow down as they grow, and the script trims one on every failure.
const AuthFailCap = 2_000

// authFailedScript counts a failed token check and updates the aggregate
// record of the client's window. The window starts at the client's first
// failure and is fixed, not sliding, so a locked-out client is let in
// again at a time the server can tell it. KEYS: count, log, records.
// ARGV: client, now (ms), window (ms), via, cap. Returns the failures in
// the window (this one included) and the window's time left (ms).
var authFailedScript = redis.NewScript(`
local ckey, lkey, rkey = KEYS[1], KEYS[2], KEYS[3]
local n = redis.call('HINCRBY', ckey, 'n', 1)
local start = redis.call('HGET', ckey, 'start')
if not start then
  start = ARGV[2]
  redis.call('HSET', ckey, 'start', start)
end
local ttl = redis.call('PTTL', ckey)
if ttl < 0 then
  redis.call('PEXPIRE', ckey, ARGV[3])
  ttl = tonumber(ARGV[3])
end
local id = ARGV[1] .. ' ' .. start
local via = ARGV[4]
local old = redis.call('HGET', rkey, id)
if old then
  local seen = string.match(old, '^%d+ %d+ %d+ (.*)$') or ''
  if string.find(',' .. seen .. ',', ',' .. via .. ',', 1, true) then
    via = seen
  elseif seen ~= '' then
    via = seen .. ',' .. via
  end
end
redis.call('HSET', rkey, id, n .. ' ' .. start .. ' ' .. ARGV[2] .. ' ' .. via)
redis.call('ZADD', lkey, ARGV[2], id)
local excess = redis.call('ZCARD', lkey) - tonumber(ARGV[5])
if excess > 0 then
  local gone = redis.call('ZRANGE', lkey, 0, excess - 1)
  redis.call('ZREMRANGEBYRANK', lkey, 0, excess - 1)
  redis.call('HDEL', rkey, unpack(gone))
end
return {n, ttl}
`)

// AuthFailed counts a failed admin-token check of f.Client and records it
// in the client's aggregate record; it returns the failures within the
// window that the client's first failure opened, this one included, and
// the time that window has left.
func (s *Store) AuthFailed(ctx context.Context, f model.AuthFailure, window time.Duration) (int, time.Duration, error) {
	if err := checkAuthClient(f.Client); err != nil {
		return 0, 0, fmt.Errorf("count failed token check: %w", err)
	}
	if window < time.Millisecond || strings.ContainsAny(f.Via, " ,") {
		return 0, 0, fmt.Errorf("count failed token check of %s: bad window %v or via %q", f.Client, window, f.Via)
	}
	keys := []string{s.keys.AuthFailures(f.Client), s.keys.AuthFailLog(), s.keys.AuthFailRecords()}
	res, err := authFailedScript.Run(ctx, s.client, keys,
		f.Client, f.Time.UnixMilli(), window.Milliseconds(), cmp.Or(f.Via, "-"), AuthFailCap).Int64Slice()
	if err != nil {
		return 0, 0, fmt.Errorf("count failed token check of %s: %w", f.Client, err)
	}
	if len(res) != 2 {
		return 0, 0, fmt.Errorf("count failed token check of %s: script answered %v", f.Client, res)
	}
	return int(res[0]), time.Duration(res[1]) * time.Millisecond, nil
}

// AuthFailures returns how many token checks of client failed within its
// current window and how long that window has left (0 when none), without
// counting one: a locked-out client must be refused on every instance,
// even with the right token.
func (s *Store) AuthFailures(ctx context.Context, client string) (int, time.Duration, error) {
	if err := checkAuthClient(client); err != nil {
		return 0, 0, fmt.Errorf("read failed token checks: %w", err)
	}
	key := s.keys.AuthFailures(client)
	pipe := s.client.Pipeline()
	get := pipe.HGet(ctx, key, "n")
	ttl := pipe.PTTL(ctx, key)
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, 0, fmt.Errorf("read failed token checks of %s: %w", client, err)
	}
	n, err := get.Int()
	if errors.Is(err, redis.Nil) {
		return 0, 0, nil
	}
	if err != nil {
		return 0, 0, fmt.Errorf("read failed token checks of %s: %w", client, err)
	}
	return n, max(ttl.Val(), 0), nil
}

// AuthFailureLog returns up to limit aggregate records of failed token
// checks (Action model.ActionAuthFailed), the latest failure first (limit
// <= 0 or above AuthFailCap: AuthFailCap). A record that does not parse
// is logged and skipped.
func (s *Store) AuthFailureLog(ctx context.Context, limit int) ([]model.AuditRecord, error) {
	if limit <= 0 || limit > AuthFailCap {
		limit = AuthFailCap
	}
	ids, err := s.client.ZRevRange(ctx, s.keys.AuthFailLog(), 0, int64(limit-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("read failed token checks: %w", err)
	}
	if len(ids) == 0 {
		return []model.AuditRecord{}, nil
	}
	vals, err := s.client.HMGet(ctx, s.keys.AuthFailRecords(), ids...).Result()
	if err != nil {
		return nil, fmt.Errorf("read failed token checks: %w", err)
	}
	out := make([]model.AuditRecord, 0, len(ids))
	for i, id := range ids {
		v, _ := vals[i].(string)
		rec, err := parseAuthFailRecord(id, v)
		if err != nil {
			if v != "" { // trimmed between the two reads otherwise
				s.logger.Warn("skipping unreadable failed-token record", "key", s.keys.AuthFailRecords(), "id", id, "err", err)
			}
			continue
		}
		out = append(out, rec)
	}
	return out, nil
}

// parseAuthFailRecord reads a record id ("<client> <start ms>") and its
// value ("<count> <first ms> <last ms> <via,via…>").
func parseAuthFailRecord(id, v string) (model.AuditRecord, error) {
	client, _, ok := strings.Cut(id, " ")
	f := strings.Fields(v)
	if !ok || len(f) != 4 {
		return model.AuditRecord{}, fmt.Errorf("record %q = %q: want \"<client> <start>\" = \"<count> <first> <last> <via>\"", id, v)
	}
	var nums [3]int64
	for i := range nums {
		n, err := strconv.ParseInt(f[i], 10, 64)
		if err != nil {
			return model.AuditRecord{}, fmt.Errorf("record %q: %w", id, err)
		}
		nums[i] = n
	}
	return model.AuditRecord{
		Time: time.UnixMilli(nums[2]).UTC(), First: time.UnixMilli(nums[1]).UTC(), Count: int(nums[0]),
		Action: model.ActionAuthFailed, Client: client, Via: f[3], Result: "wrong token",
	}, nil
}

// checkAuthClient refuses a client name that would break a key or a
// record id: the server passes an address or a prefix.
func checkAuthClient(client string) error {
	if client == "" || len(client) > 64 || strings.ContainsAny(client, " \t\r\n{}") {
		return fmt.Errorf("bad client %q", client)
	}
	return nil
}
