package dueset

import "github.com/redis/go-redis/v9"

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

// claimSourceScript claims sources whether due or not, each unless a
// live claim holds it. KEYS: due set, claims (edits: unused). ARGV: now
// ms, deadline ms, token, poll request key prefix, then the ids. Returns
// two values per id: "-" and 0 when held, else its old score or "" and 1
// if a poll request was taken.
const claimSourceScript = `
local due, claims = KEYS[1], KEYS[2]
local out = {}
for i = 5, #ARGV do
  local id = ARGV[i]
  local cur = redis.call('ZSCORE', due, id)
  if cur and tonumber(cur) > tonumber(ARGV[1]) and redis.call('HEXISTS', claims, id) == 1 then
    out[#out + 1] = '-'
    out[#out + 1] = 0
  else
    redis.call('ZADD', due, ARGV[2], id)
    redis.call('HSET', claims, id, ARGV[3])
    out[#out + 1] = cur or ''
    out[#out + 1] = redis.call('DEL', ARGV[4] .. id)
  end
end
return out
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
	requestPolls  = redis.NewScript(requestPollsScript)
	dueStep       = redis.NewScript(dueStepScript)
	claimSource   = redis.NewScript(claimSourceScript)
	scheduleDue   = redis.NewScript(scheduleDueScript)
	releaseClaims = redis.NewScript(releaseClaimsScript)
)

// adoptScript takes in sources moved from another shard layout (see
// Set.reshard), keeping their score, claim and pending edit, so a source
// being polled stays claimed until its deadline. A source the shard holds
// already keeps what it has. KEYS: due set, claims, edits. ARGV: quads
// id, score, token ("" unclaimed), edit ms ("" none). Returns how many
// were added.
const adoptScript = `
local due, claims, edits = KEYS[1], KEYS[2], KEYS[3]
local n = 0
for i = 1, #ARGV, 4 do
  local id = ARGV[i]
  if redis.call('ZADD', due, 'NX', ARGV[i + 1], id) == 1 then
    n = n + 1
    if ARGV[i + 2] ~= '' then redis.call('HSET', claims, id, ARGV[i + 2]) end
    if ARGV[i + 3] ~= '' then redis.call('HSET', edits, id, ARGV[i + 3]) end
  end
end
return n
`

var adopt = redis.NewScript(adoptScript)
