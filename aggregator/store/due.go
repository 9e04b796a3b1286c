package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// The due set (Keys.DueSet) is the one schedule of every source, shared by
// every instance: a source is due when its score, in unix milliseconds,
// has passed. An instance claims due sources by moving their score to a
// deadline (now + lease) and recording a token in Keys.DueClaims, polls
// them, and completes each claim by writing the next due time. A claim
// whose instance died is never completed: at its deadline the source is
// simply due again and another instance claims it. The keys share one hash
// tag, so every script below runs on a single Cluster slot.

// Claim is a source an instance took from the due set to poll.
type Claim struct {
	SourceID string
	// Due is the due time the poll serves: the score the source had
	// (zero when ClaimSource found it outside the set).
	Due time.Time
	// Requested is true when an operator's poll request was pending; the
	// claim took it, so no other instance polls for it.
	Requested bool
	// Token proves, when the claim completes, that it is still this
	// poll's (not reclaimed by another instance after its deadline).
	Token string
	// Deadline is when the claim lapses and another instance may claim
	// the source again: the work done under it must end before.
	Deadline time.Time
}

// Completion ends a claim: the source is next due at Next. A zero Next
// removes the source from the set (its schedule never fires again).
type Completion struct {
	SourceID, Token string
	Next            time.Time
}

// DueBatch is what DueStep did.
type DueBatch struct {
	Claimed []Claim
	// Earliest is the lowest score left in the set (a due time or a
	// claim's deadline), zero when the set is empty.
	Earliest time.Time
}

// dueStepScript completes claims, then claims up to a limit of due
// sources.
//
// KEYS: due set, claims, edits. ARGV: now ms, deadline ms, limit, token,
// poll request key prefix, number of completions, then per completion:
// id, token, next ms ("" drops the source). Returns per claimed source: id,
// score, 1 if a poll request was taken; then the lowest score left ("" for
// an empty set).
//
// A completion whose token no longer holds the claim (reclaimed after its
// deadline, or the source was removed) changes nothing. A source asked for
// while it was being polled is due again at once, its request left for
// the claim that serves it. A source edited while it was being polled
// (scheduleDueScript recorded the edit's due time in the edits hash) is
// due at the earlier of its poll's plan and the edit's time: the plan was
// made under the old config. Each step costs a fixed handful of commands
// inside the script whatever the batch size (variadic ZADD, HSET, HDEL,
// EXISTS): only sources with a pending request cost one more. Poll request
// keys are built here rather than passed in KEYS (which ids will be
// claimed is not known in advance); they share the due set's hash tag, so
// they are in its slot.
const dueStepScript = `
local due, claims, edits = KEYS[1], KEYS[2], KEYS[3]
local now, deadline, limit, token, reqp = tonumber(ARGV[1]), ARGV[2], tonumber(ARGV[3]), ARGV[4], ARGV[5]
local n = tonumber(ARGV[6])
-- a variadic command over list, in slices Lua's unpack can take; returns
-- the sum of integer replies
local function each(cmd, key, list)
  local sum = 0
  for i = 1, #list, 4000 do
    local r = redis.call(cmd, key, unpack(list, i, math.min(i + 3999, #list)))
    if type(r) == 'number' then sum = sum + r end
  end
  return sum
end
local function exists(keys)
  local sum = 0
  for i = 1, #keys, 4000 do
    sum = sum + redis.call('EXISTS', unpack(keys, i, math.min(i + 3999, #keys)))
  end
  return sum
end
if n > 0 then
  local ids, toks, nexts, marks, held = {}, {}, {}, {}, {}
  for i = 1, n do
    local b = 4 + 3 * i
    ids[i], toks[i], nexts[i], marks[i] = ARGV[b], ARGV[b + 1], ARGV[b + 2], reqp .. ARGV[b]
  end
  for i = 1, n, 4000 do
    local part = redis.call('HMGET', claims, unpack(ids, i, math.min(i + 3999, n)))
    for j = 1, #part do held[i + j - 1] = part[j] end
  end
  local asked = exists(marks) > 0
  local mine = {}
  for i = 1, n do
    if held[i] == toks[i] then mine[#mine + 1] = i end
  end
  local edited = {}
  if #mine > 0 and redis.call('HLEN', edits) > 0 then
    local mids = {}
    for j = 1, #mine do mids[j] = ids[mine[j]] end
    for j = 1, #mids, 4000 do
      local part = redis.call('HMGET', edits, unpack(mids, j, math.min(j + 3999, #mids)))
      for k = 1, #part do edited[j + k - 1] = part[k] end
    end
    each('HDEL', edits, mids)
  end
  local done, zadd, zrem = {}, {}, {}
  for j = 1, #mine do
    local i = mine[j]
    done[j] = ids[i]
    local at = nexts[i]
    if edited[j] and (at == '' or tonumber(edited[j]) < tonumber(at)) then at = edited[j] end
    if asked and at ~= '' and redis.call('EXISTS', marks[i]) == 1 then at = now end
    if at == '' then
      zrem[#zrem + 1] = ids[i]
    else
      zadd[#zadd + 1] = at
      zadd[#zadd + 1] = ids[i]
    end
  end
  if #done > 0 then each('HDEL', claims, done) end
  if #zadd > 0 then each('ZADD', due, zadd) end
  if #zrem > 0 then each('ZREM', due, zrem) end
end
local out = {}
if limit > 0 then
  local got = redis.call('ZRANGEBYSCORE', due, '-inf', now, 'WITHSCORES', 'LIMIT', 0, limit)
  if #got > 0 then
    local zadd, hset, marks = {}, {}, {}
    for i = 1, #got, 2 do
      zadd[#zadd + 1] = deadline
      zadd[#zadd + 1] = got[i]
      hset[#hset + 1] = got[i]
      hset[#hset + 1] = token
      marks[#marks + 1] = reqp .. got[i]
    end
    each('ZADD', due, zadd)
    each('HSET', claims, hset)
    local asked = exists(marks) > 0
    for i = 1, #got, 2 do
      out[#out + 1] = got[i]
      out[#out + 1] = got[i + 1]
      local taken = 0
      if asked then taken = redis.call('DEL', marks[(i + 1) / 2]) end
      out[#out + 1] = taken
    end
  end
end
local first = redis.call('ZRANGE', due, 0, 0, 'WITHSCORES')
out[#out + 1] = first[2] or ''
return out
`

// claimSourceScript claims one source whether due or not, unless a live
// claim holds it. KEYS: due set, claims (edits: unused). ARGV: now ms, deadline ms, token,
// poll request key prefix, id. Returns nil when held, else {old score or
// "", 1 if a poll request was taken}.
const claimSourceScript = `
local due, claims = KEYS[1], KEYS[2]
local id = ARGV[5]
local cur = redis.call('ZSCORE', due, id)
if cur and tonumber(cur) > tonumber(ARGV[1]) and redis.call('HEXISTS', claims, id) == 1 then
  return false
end
redis.call('ZADD', due, ARGV[2], id)
redis.call('HSET', claims, id, ARGV[3])
return {cur or '', redis.call('DEL', ARGV[4] .. id)}
`

// scheduleDueScript makes sources due at a time if that is earlier than
// their score, or adds them. A source under a claim (live, or past its
// deadline but not yet completed) also gets the time recorded in the
// edits hash, the earliest kept, for the claim's completion to honour:
// the poll's own plan was made under the old config, and its completion
// would otherwise put that plan back. KEYS: due set, claims, edits. ARGV:
// now ms, then pairs id, ms.
const scheduleDueScript = `
local due, claims, edits = KEYS[1], KEYS[2], KEYS[3]
local now = tonumber(ARGV[1])
local n = 0
for i = 2, #ARGV, 2 do
  local id, at = ARGV[i], tonumber(ARGV[i + 1])
  local cur = redis.call('ZSCORE', due, id)
  if cur then cur = tonumber(cur) end
  local claimed = redis.call('HEXISTS', claims, id) == 1
  if claimed then
    local prev = redis.call('HGET', edits, id)
    if not prev or at < tonumber(prev) then redis.call('HSET', edits, id, ARGV[i + 1]) end
  end
  local held = claimed and cur and cur > now
  if not held and (not cur or at < cur) then
    redis.call('ZADD', due, at, id)
    n = n + 1
  end
end
return n
`

// releaseClaimsScript drops every claim and makes each claimed source due
// now, which also serves every edit recorded for them. KEYS: due set,
// claims, edits. ARGV: now ms.
const releaseClaimsScript = `
local due, claims, edits = KEYS[1], KEYS[2], KEYS[3]
local ids = redis.call('HKEYS', claims)
for _, id in ipairs(ids) do
  if redis.call('ZSCORE', due, id) then
    redis.call('ZADD', due, ARGV[1], id)
  end
end
redis.call('DEL', claims, edits)
return #ids
`

var (
	dueStep       = redis.NewScript(dueStepScript)
	claimSource   = redis.NewScript(claimSourceScript)
	scheduleDue   = redis.NewScript(scheduleDueScript)
	releaseClaims = redis.NewScript(releaseClaimsScript)
)

// dueChunk bounds the members one seeding or scheduling command carries,
// so a reload of 100k sources is many short commands, not one that holds
// Redis for a long time.
const dueChunk = 1000

// DueStep completes the claims in done, then claims up to limit due
// sources (none when limit ≤ 0) until now+lease, all in one script: the
// scheduler's one round trip per batch. Every claim of one step carries
// token, which must be unique to the step.
func (s *Store) DueStep(ctx context.Context, done []Completion, now time.Time, limit int, lease time.Duration, token string) (DueBatch, error) {
	args := make([]any, 0, 6+3*len(done))
	args = append(args, ms(now), ms(now.Add(lease)), limit, token, s.keys.PollRequest(""), len(done))
	for _, c := range done {
		next := ""
		if !c.Next.IsZero() {
			next = strconv.FormatInt(ms(c.Next), 10)
		}
		args = append(args, c.SourceID, c.Token, next)
	}
	res, err := dueStep.Run(ctx, s.client, s.dueKeys(), args...).Slice()
	if err != nil {
		return DueBatch{}, fmt.Errorf("due step: %w", err)
	}
	return parseDueStep(res, token, time.UnixMilli(ms(now.Add(lease))))
}

func parseDueStep(res []any, token string, deadline time.Time) (DueBatch, error) {
	if len(res) < 1 || (len(res)-1)%3 != 0 {
		return DueBatch{}, fmt.Errorf("due step: unexpected reply of %d values", len(res))
	}
	var b DueBatch
	for i := 0; i+3 <= len(res)-1; i += 3 {
		id, _ := res[i].(string)
		score, _ := res[i+1].(string)
		due, err := parseScore(score)
		if err != nil {
			return DueBatch{}, fmt.Errorf("due step: source %s: %w", id, err)
		}
		taken, _ := res[i+2].(int64)
		b.Claimed = append(b.Claimed, Claim{SourceID: id, Due: due, Requested: taken == 1, Token: token, Deadline: deadline})
	}
	first, _ := res[len(res)-1].(string)
	earliest, err := parseScore(first)
	if err != nil {
		return DueBatch{}, fmt.Errorf("due step: earliest: %w", err)
	}
	b.Earliest = earliest
	return b, nil
}

// ClaimSource claims one source until now+lease, due or not (an operator
// polls it now, or its entries are re-evaluated), unless another poll's
// live claim holds it: then ok is false. A source outside the set is added
// with the claim.
func (s *Store) ClaimSource(ctx context.Context, id string, now time.Time, lease time.Duration, token string) (c Claim, ok bool, err error) {
	res, err := claimSource.Run(ctx, s.client, s.dueKeys(), ms(now), ms(now.Add(lease)), token, s.keys.PollRequest(""), id).Slice()
	if errors.Is(err, redis.Nil) {
		return Claim{}, false, nil
	}
	if err != nil {
		return Claim{}, false, fmt.Errorf("claim source %s: %w", id, err)
	}
	if len(res) != 2 {
		return Claim{}, false, fmt.Errorf("claim source %s: unexpected reply of %d values", id, len(res))
	}
	score, _ := res[0].(string)
	due, err := parseScore(score)
	if err != nil {
		return Claim{}, false, fmt.Errorf("claim source %s: %w", id, err)
	}
	taken, _ := res[1].(int64)
	return Claim{SourceID: id, Due: due, Requested: taken == 1, Token: token, Deadline: time.UnixMilli(ms(now.Add(lease)))}, true, nil
}

// SeedDue adds the sources the set does not hold yet, due at the next_due
// their stored state recorded (a source scheduled by an earlier version
// keeps its time), else at now; sources already in the set keep their
// score. ZADD NX makes several instances seeding at once harmless. It
// returns how many it added.
func (s *Store) SeedDue(ctx context.Context, ids []string, now time.Time) (int, error) {
	added := 0
	for chunk := range slices.Chunk(ids, dueChunk) {
		n, err := s.seedChunk(ctx, chunk, now)
		added += n
		if err != nil {
			return added, fmt.Errorf("seed due set: %w", err)
		}
	}
	return added, nil
}

func (s *Store) seedChunk(ctx context.Context, ids []string, now time.Time) (int, error) {
	scores, err := s.client.ZMScore(ctx, s.keys.DueSet(), ids...).Result()
	if err != nil {
		return 0, err
	}
	var missing []string
	for i, sc := range scores {
		if sc == 0 { // go-redis reads a member's absence as 0; no score is 0
			missing = append(missing, ids[i])
		}
	}
	if len(missing) == 0 {
		return 0, nil
	}
	pipe := s.client.Pipeline()
	cmds := make([]*redis.StringCmd, len(missing))
	for i, id := range missing {
		cmds[i] = pipe.HGet(ctx, s.keys.SourceState(id), "next_due")
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, err
	}
	members := make([]redis.Z, len(missing))
	for i, id := range missing {
		at := now
		if t, err := time.Parse(time.RFC3339Nano, cmds[i].Val()); err == nil && !t.IsZero() {
			at = t
		}
		members[i] = redis.Z{Score: float64(ms(at)), Member: id}
	}
	n, err := s.client.ZAddNX(ctx, s.keys.DueSet(), members...).Result()
	return int(n), err
}

// ScheduleDue makes each source due at its time if that is earlier than
// its score, or adds it when the set lacks it. A source being polled
// (live claim) keeps its claim's deadline; the time is recorded for the
// claim's completion, which makes the source due no later than it.
func (s *Store) ScheduleDue(ctx context.Context, at map[string]time.Time, now time.Time) error {
	ids := make([]string, 0, len(at))
	for id := range at {
		ids = append(ids, id)
	}
	for chunk := range slices.Chunk(ids, dueChunk) {
		args := make([]any, 0, 1+2*len(chunk))
		args = append(args, ms(now))
		for _, id := range chunk {
			args = append(args, id, ms(at[id]))
		}
		if err := scheduleDue.Run(ctx, s.client, s.dueKeys(), args...).Err(); err != nil {
			return fmt.Errorf("schedule %d sources: %w", len(chunk), err)
		}
	}
	return nil
}

// RemoveDue takes sources out of the schedule: their scores, claims and
// pending poll requests (one slot, so one transaction even on Cluster). A
// poll of one still running completes without putting it back.
func (s *Store) RemoveDue(ctx context.Context, ids []string) error {
	for chunk := range slices.Chunk(ids, dueChunk) {
		members := make([]any, len(chunk))
		fields := make([]string, len(chunk))
		reqs := make([]string, len(chunk))
		for i, id := range chunk {
			members[i], fields[i], reqs[i] = id, id, s.keys.PollRequest(id)
		}
		_, err := s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
			p.ZRem(ctx, s.keys.DueSet(), members...)
			p.HDel(ctx, s.keys.DueClaims(), fields...)
			p.HDel(ctx, s.keys.DueEdits(), fields...)
			p.Del(ctx, reqs...)
			return nil
		})
		if err != nil {
			return fmt.Errorf("remove %d sources from the due set: %w", len(chunk), err)
		}
	}
	return nil
}

// DueSources returns every source in the set with its score (claimed ones
// at their deadline), for tests and diagnostics.
func (s *Store) DueSources(ctx context.Context) (map[string]time.Time, error) {
	zs, err := s.client.ZRangeWithScores(ctx, s.keys.DueSet(), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("read due set: %w", err)
	}
	out := make(map[string]time.Time, len(zs))
	for _, z := range zs {
		id, _ := z.Member.(string)
		out[id] = time.UnixMilli(int64(z.Score))
	}
	return out, nil
}

func (s *Store) dueKeys() []string {
	return []string{s.keys.DueSet(), s.keys.DueClaims(), s.keys.DueEdits()}
}

// ms is t in unix milliseconds, the scores of the due set.
func ms(t time.Time) int64 { return t.UnixMilli() }

// parseScore reads a score of the due set ("" is zero).
func parseScore(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("score %q: %w", s, err)
	}
	return time.UnixMilli(int64(f)), nil
}
