package store

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// sectionIndexScript merges a batch into one section. It touches the
// section set and its dedup hash, which share a hash tag so the script runs
// on Redis Cluster, and it does the read-decide-write in one step so two
// instances ingesting different sources into one section cannot interleave.
//
// KEYS[1]: the section set. KEYS[2]: the section dedup hash. KEYS[3]:
// the section's hidden hash (see SectionHidden). KEYS[4], KEYS[5]: its
// review queue and review decisions (see SectionPending,
// SectionReviewed).
// ARGV[1]: max items. ARGV[2]: lowest admitted score ("" for no max_age).
// ARGV[3]: title window in ms (0: no title dedup). ARGV[4]: source id.
// ARGV[5]: n. Then n groups of 5: score (unix ms as an integer string,
// passed to ZADD as given: Lua numbers would print with 14 digits), entry
// id, flag ("a" admitted, "c" admitted and new or updated in this ingest,
// "r" refused by a filter), link key and title key ("" for none).
// Then, optional (see reviewArgs): "1" when the section reviews entries,
// the ids of its trusted sources separated by spaces, now (ms) and the
// queue's cap.
//
// A refused or too old member leaves the set. An admitted one first meets
// its rivals: the member of another source holding the same link key, or
// the same title key within the window. The earlier published wins (ties:
// the smaller id), so the story stays once, attributed to its first
// publisher, whichever source is polled first. A winner is added when
// absent, unless the set is full and its score is below the lowest (it would
// be trimmed right away: re-adding an old entry must not count as a
// change); it is re-scored when its score moved. Then the set is trimmed by
// age and to max. Returns 1 when membership or order changed, or when a
// "c" member is present at the end (its content changed), else 0.
//
// The earliest copy that lost is noted as the key's runner-up: when the
// holder is later refused by a filter or ages out, the runner-up takes its
// place at once, without waiting for its own source to be polled. A holder
// trimmed by max_items takes its notes along (the story is gone), so the
// dedup hash stays bounded by what the section holds.
//
// An entry an editor hid is skipped, whatever its flag: a re-poll, an edit
// at the source or new rules never bring it back. It keeps the claims it
// held when hidden and wins every rivalry on them (a title within the
// window of the score it was hidden at), so another source's copy of the
// story does not show in its place either. An entry an editor rejected is
// skipped the same way.
//
// In a section with review, an entry of an untrusted source that is
// neither in the set nor approved never enters it here: when it would
// (it beats its rivals, it fits the set) it waits in the queue instead,
// taking nothing from its rivals; when it would not, it leaves the queue.
// Entries in the set stay, so turning review on hides nothing already
// published, and edits of them are merged as before. A runner-up is held
// the same way rather than promoted.
//
// Returns {1 or 0, ids...}: 1 when membership or order changed, or when
// a "c" member is present at the end (its content changed), then the ids
// that entered the queue in this call.
const sectionIndexScript = `
local key, dkey, hkey, pkey, rvkey = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local max = tonumber(ARGV[1])
local minScore = tonumber(ARGV[2])
local win = tonumber(ARGV[3])
local sid = ARGV[4]
local n = tonumber(ARGV[5])
local changed = false
local added = {}
local touched = {}
local rb = 6 + 5 * n
local review = ARGV[rb] == '1'
local trusted = {}
if review then
  for t in string.gmatch(ARGV[rb + 1], '%S+') do trusted[t] = true end
end
local nowMS, cap = ARGV[rb + 2], tonumber(ARGV[rb + 3])
local held = {}

-- decision is 'a' (approved) or 'r' (rejected) when an editor decided
-- on m, else nil.
local function decision(m)
  local v = redis.call('HGET', rvkey, m)
  if not v then return nil end
  return string.sub(v, 1, 1)
end

-- hidden returns the score m had when it was hidden, nil when it is not.
local function hidden(m)
  local v = redis.call('HGET', hkey, m)
  if not v then return nil end
  return tonumber(string.match(v, ' (%S+)$'))
end

local function owner(v)
  return string.match(v, '^(%S*) (%S+)$')
end

-- Runner-up notes: 'x<kind>:<key>' = "score sid id" of the earliest copy
-- that lost to the holder of <key>, 'x<kind>i:<id>' = <key>.
local function parseNote(v)
  return string.match(v, '^(%S+) (%S*) (%S+)$')
end

local function dropNote(kind, f)
  local v = redis.call('HGET', dkey, 'x' .. kind .. ':' .. f)
  if not v then return nil end
  local raw, nsid, nid = parseNote(v)
  redis.call('HDEL', dkey, 'x' .. kind .. ':' .. f, 'x' .. kind .. 'i:' .. nid)
  return raw, nsid, nid
end

local function note(m, msid, raw, kind, f)
  if f == '' then return end
  local want = raw .. ' ' .. msid .. ' ' .. m
  local v = redis.call('HGET', dkey, 'x' .. kind .. ':' .. f)
  if v == want then return end
  if v then
    local vraw, _, vid = parseNote(v)
    local vs, s = tonumber(vraw), tonumber(raw)
    if vid ~= m and (vs < s or (vs == s and vid < m)) then return end
    redis.call('HDEL', dkey, 'x' .. kind .. 'i:' .. vid)
  end
  redis.call('HSET', dkey, 'x' .. kind .. ':' .. f, want, 'x' .. kind .. 'i:' .. m, f)
end

local function unnote(m)
  for _, kind in ipairs({'l', 't'}) do
    local f = redis.call('HGET', dkey, 'x' .. kind .. 'i:' .. m)
    if f then
      local v = redis.call('HGET', dkey, 'x' .. kind .. ':' .. f)
      if v then
        local _, _, vid = parseNote(v)
        if vid == m then redis.call('HDEL', dkey, 'x' .. kind .. ':' .. f) end
      end
      redis.call('HDEL', dkey, 'x' .. kind .. 'i:' .. m)
    end
  end
end

local function claim(m, msid, kind, f)
  if f == '' then return end
  local want = msid .. ' ' .. m
  local old = redis.call('HGET', dkey, kind .. 'i:' .. m)
  if old == f and redis.call('HGET', dkey, kind .. ':' .. f) == want then return end
  if old and old ~= f then
    local v = redis.call('HGET', dkey, kind .. ':' .. old)
    if v then
      local _, id = owner(v)
      if id == m then redis.call('HDEL', dkey, kind .. ':' .. old) end
    end
  end
  redis.call('HSET', dkey, kind .. ':' .. f, want, kind .. 'i:' .. m, f)
  local v = redis.call('HGET', dkey, 'x' .. kind .. ':' .. f)
  if v then
    local _, _, vid = parseNote(v)
    if vid == m then dropNote(kind, f) end
  end
end

-- lowest caches the lowest score in the set (nil: unknown), so a batch
-- meeting a full set asks for it once, not once per item: miniredis
-- answers every ZRANGE by sorting the whole set.
local lowest = nil

-- gated reports whether m, of source msid, may enter the set only
-- through an editor.
local function gated(m, msid)
  if not review or trusted[msid] then return false end
  if redis.call('ZSCORE', key, m) then return false end
  return decision(m) ~= 'a'
end

-- fits reports whether an entry of score would stay in the set.
local function fits(score)
  if redis.call('ZCARD', key) < max then return true end
  if not lowest then
    lowest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
  end
  return not lowest or score >= lowest
end

-- hold puts m in the review queue, or keeps it there; one that would not
-- show leaves it. A full queue takes nothing more: m stays out of the set
-- and is offered again by its next merge.
local function hold(m, score)
  if not fits(score) then
    redis.call('HDEL', pkey, m)
    return
  end
  if redis.call('HEXISTS', pkey, m) == 1 or redis.call('HLEN', pkey) >= cap then return end
  redis.call('HSET', pkey, m, nowMS)
  held[#held + 1] = m
end

local function add(m, raw, score)
  local cur = redis.call('ZSCORE', key, m)
  if not cur then
    local size = redis.call('ZCARD', key)
    if size >= max then
      if not lowest then
        lowest = tonumber(redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2])
      end
      if score < lowest then return false end
    end
    redis.call('ZADD', key, raw, m)
    if lowest and score < lowest then lowest = score end
    added[m] = true
  elseif tonumber(cur) ~= score then
    redis.call('ZADD', key, raw, m)
    lowest = nil
    changed = true
  end
  return true
end

-- promote puts the runner-up of a released key in its place.
local function promote(kind, f)
  local raw, nsid, nid = dropNote(kind, f)
  if not raw or hidden(nid) or decision(nid) == 'r' then return end
  local s = tonumber(raw)
  if minScore and s < minScore then return end
  if gated(nid, nsid) then
    hold(nid, s)
  elseif add(nid, raw, s) then
    claim(nid, nsid, kind, f)
  end
end

-- remove takes m out of the set and releases its keys. mode: 'promote'
-- (m was refused or aged out: its runner-ups take its place), 'drop' (m
-- was trimmed: the story is gone, so are its notes) or 'keep' (m lost to a
-- rival, which holds the story now).
local function remove(m, mode)
  if redis.call('ZREM', key, m) == 1 then
    lowest = nil
    if added[m] then added[m] = nil else changed = true end
  end
  for _, kind in ipairs({'l', 't'}) do
    local f = redis.call('HGET', dkey, kind .. 'i:' .. m)
    if f then
      local v = redis.call('HGET', dkey, kind .. ':' .. f)
      local held = false
      if v then
        local _, id = owner(v)
        held = id == m
      end
      redis.call('HDEL', dkey, kind .. 'i:' .. m)
      if held then
        redis.call('HDEL', dkey, kind .. ':' .. f)
        if mode == 'promote' then promote(kind, f) elseif mode == 'drop' then dropNote(kind, f) end
      end
    end
  end
  if mode ~= 'keep' then unnote(m) end
end

local function rival(m, score, kind, f)
  if f == '' then return nil end
  local v = redis.call('HGET', dkey, kind .. ':' .. f)
  if not v then return nil end
  local s, id = owner(v)
  if not id or id == m or s == sid then return nil end
  local raw = redis.call('ZSCORE', key, id)
  if not raw then
    -- A hidden holder outranks every copy: the newcomer always loses.
    local hs = hidden(id)
    if not hs or (kind == 't' and math.abs(hs - score) > win) then return nil end
    return id, -math.huge, nil, s
  end
  local hs = tonumber(raw)
  if kind == 't' and math.abs(hs - score) > win then return nil end
  return id, hs, raw, s
end

for i = 0, n - 1 do
  local b = 6 + 5 * i
  local raw, m, flag, lk, tk = ARGV[b], ARGV[b + 1], ARGV[b + 2], ARGV[b + 3], ARGV[b + 4]
  local score = tonumber(raw)
  if win == 0 then tk = '' end
  if flag == 'c' then touched[#touched + 1] = m end
  if hidden(m) or decision(m) == 'r' then
    -- Left as the editor left it: out of the set, claims kept.
  elseif flag == 'r' or (minScore and score < minScore) then
    remove(m, 'promote')
    redis.call('HDEL', pkey, m)
  else
    local lost = false
    local gate = gated(m, sid)
    for _, kind in ipairs({'l', 't'}) do
      local f = lk
      if kind == 't' then f = tk end
      local r, rs, rraw, rsid = rival(m, score, kind, f)
      if r then
        if score < rs or (score == rs and m < r) then
          if not gate then
            remove(r, 'keep')
            note(r, rsid, rraw, kind, f)
          end
        else
          lost = true
          remove(m, 'keep')
          note(m, sid, raw, kind, f)
          break
        end
      end
    end
    if lost then
      redis.call('HDEL', pkey, m)
    elseif gate then
      hold(m, score)
    else
      redis.call('HDEL', pkey, m)
      if add(m, raw, score) then
        claim(m, sid, 'l', lk)
        claim(m, sid, 't', tk)
      end
    end
  end
end
if minScore then
  for _, m in ipairs(redis.call('ZRANGEBYSCORE', key, '-inf', '(' .. ARGV[2])) do remove(m, 'promote') end
end
local size = redis.call('ZCARD', key)
if size > max then
  for _, m in ipairs(redis.call('ZRANGE', key, 0, size - max - 1)) do remove(m, 'drop') end
end
if next(added) then changed = true end
if not changed then
  for _, m in ipairs(touched) do
    if redis.call('ZSCORE', key, m) then
      changed = true
      break
    end
  end
end
local out = {0}
if changed then out[1] = 1 end
for _, m in ipairs(held) do out[#out + 1] = m end
return out
`

// indexSections runs sectionIndexScript for every section with the whole
// batch (not only new entries, so a section added to the config later is
// filled from the source's current feed) and returns the ids of the
// sections that changed. An empty batch still runs for sections with a
// max_age, to age out what they hold. The scripts go out in one pipeline (a
// source often feeds several sections); one that Redis does not have cached
// yet (after a restart or on a new Cluster node) is run again with EVAL.
//
// A batch of more than batchSize items is merged in parts, one pipeline
// each: a script blocks the server while it runs, and one call with
// 100,000 items outlasted the client's read timeout. Merging in parts
// gives the same section as merging at once, since the script trims to the
// newest max items after each part and the dedup hash carries the
// rivalries over; only two instances' merges may now interleave between
// parts, as their polls already interleave.
func (s *Store) indexSections(ctx context.Context, rules Policy, items []ingestItem, now time.Time) ([]string, map[string][]string, error) {
	var run []model.Section
	for _, sec := range rules.Sections {
		if len(items) > 0 || sec.MaxAge > 0 {
			run = append(run, sec)
		}
	}
	if len(run) == 0 {
		return nil, nil, nil
	}
	keys := newDedupKeys(items)
	changed := make(map[string]bool, len(run))
	held := map[string][]string{}
	for from := 0; from == 0 || from < len(items); from += batchSize {
		if err := ctx.Err(); err != nil {
			return sectionOrder(run, changed), held, err
		}
		to := min(from+batchSize, len(items))
		if err := s.indexSectionsPart(ctx, rules, run, items[from:to], keys.slice(from, to), now, changed, held); err != nil {
			return sectionOrder(run, changed), held, err
		}
	}
	return sectionOrder(run, changed), held, nil
}

// indexSectionsPart merges one part of a batch into every section of run,
// noting in changed the sections it changed and in held the entries each
// section's review queue took.
func (s *Store) indexSectionsPart(ctx context.Context, rules Policy, run []model.Section, items []ingestItem, keys dedupKeys,
	now time.Time, changed map[string]bool, held map[string][]string) error {
	args := make([][]any, len(run))
	pipe := s.client.Pipeline()
	cmds := make([]*redis.Cmd, len(run))
	for i, sec := range run {
		args[i] = sectionArgs(rules, sec, items, keys, now)
		cmds[i] = s.section.EvalSha(ctx, pipe, s.sectionKeys(sec.ID), args[i]...)
	}
	_, _ = pipe.Exec(ctx) // errors are read per command below
	for i, sec := range run {
		cmd := cmds[i]
		if isNoScript(cmd.Err()) {
			cmd = s.section.Run(ctx, s.client, s.sectionKeys(sec.ID), args[i]...)
		}
		c, ids, err := mergeResult(cmd)
		if err != nil {
			return fmt.Errorf("index section %s: %w", sec.ID, err)
		}
		if c {
			changed[sec.ID] = true
		}
		if len(ids) > 0 {
			held[sec.ID] = append(held[sec.ID], ids...)
		}
	}
	return nil
}

// mergeResult reads sectionIndexScript's answer: whether the section
// changed, and the ids its review queue took.
func mergeResult(cmd *redis.Cmd) (changed bool, held []string, err error) {
	vals, err := cmd.Slice()
	if err != nil {
		return false, nil, err
	}
	if len(vals) == 0 {
		return false, nil, fmt.Errorf("section merge answered nothing")
	}
	n, ok := vals[0].(int64)
	if !ok {
		return false, nil, fmt.Errorf("section merge answered %T first", vals[0])
	}
	for _, v := range vals[1:] {
		if id, ok := v.(string); ok {
			held = append(held, id)
		}
	}
	return n == 1, held, nil
}

// sectionOrder lists the changed sections in the order of run.
func sectionOrder(run []model.Section, changed map[string]bool) []string {
	var out []string
	for _, sec := range run {
		if changed[sec.ID] {
			out = append(out, sec.ID)
		}
	}
	return out
}

func (s *Store) sectionKeys(sectionID string) []string {
	return []string{s.keys.SectionEntries(sectionID), s.keys.SectionDedup(sectionID), s.keys.SectionHidden(sectionID),
		s.keys.SectionPending(sectionID), s.keys.SectionReviewed(sectionID)}
}

func isNoScript(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT")
}

// sectionArgs builds ARGV for sectionIndexScript from the rules'
// decisions.
func sectionArgs(rules Policy, sec model.Section, items []ingestItem, keys dedupKeys, now time.Time) []any {
	minScore := ""
	if ms, ok := sec.MinScore(now); ok {
		minScore = strconv.FormatInt(ms, 10)
	}
	args := make([]any, 0, 5+5*len(items))
	args = append(args, sec.Keep(), minScore, sec.TitleWindow(), rules.Source.ID, len(items))
	for i, it := range items {
		flag := "a"
		switch {
		case !rules.admits(sec, it.entry):
			flag = "r"
		case it.change != changeUnchanged:
			flag = "c"
		}
		args = append(args, formatScore(it.entry), it.entry.ID, flag, keys.link[i], keys.title[i])
	}
	return append(args, reviewArgs(sec, now)...)
}
