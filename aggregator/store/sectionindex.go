package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// sectionIndexScript merges a batch into one section's sorted set. It is a
// single-key script so it runs on Redis Cluster, and it does the
// read-decide-write in one step so two instances ingesting different sources
// into the same section cannot interleave.
//
// KEYS[1]: the section set. ARGV[1]: max items. ARGV[2]: n.
// ARGV[3 .. 2+2n]: score, member pairs (score in unix ms as an integer
// string, passed to ZADD as given: Lua numbers would print with 14 digits).
// ARGV[3+2n ..]: members that are new or updated in this ingest.
//
// A member is added when absent, unless the set is full and its score is
// below the lowest (it would be trimmed right away: re-adding an old entry
// must not count as a change); it is re-scored when its score moved. The set
// is trimmed to max. Returns 1 when membership or order changed, or when a
// new or updated member is present after trimming (its content changed),
// else 0.
const sectionIndexScript = `
local key = KEYS[1]
local max = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local size = redis.call('ZCARD', key)
local changed = false
local added = {}
for i = 0, n - 1 do
  local raw = ARGV[3 + 2 * i]
  local score = tonumber(raw)
  local member = ARGV[4 + 2 * i]
  local cur = redis.call('ZSCORE', key, member)
  if not cur then
    local room = size < max
    if not room then
      local low = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
      room = score >= tonumber(low[2])
    end
    if room then
      redis.call('ZADD', key, raw, member)
      size = size + 1
      added[#added + 1] = member
    end
  elseif tonumber(cur) ~= score then
    redis.call('ZADD', key, raw, member)
    changed = true
  end
end
local removed = 0
if size > max then
  removed = redis.call('ZREMRANGEBYRANK', key, 0, size - max - 1)
end
local kept = 0
for _, m in ipairs(added) do
  if redis.call('ZSCORE', key, m) then kept = kept + 1 end
end
if kept > 0 or removed > #added - kept then
  changed = true
end
if not changed then
  for i = 3 + 2 * n, #ARGV do
    if redis.call('ZSCORE', key, ARGV[i]) then
      changed = true
      break
    end
  end
end
if changed then return 1 end
return 0
`

// indexSections runs sectionIndexScript for every section with the whole
// batch (not only new entries, so a section added to the config later is
// filled from the source's current feed) and returns the ids of the
// sections that changed. The scripts go out in one pipeline (a source often
// feeds several sections); one that Redis does not have cached yet (after a
// restart or on a new Cluster node) is run again with EVAL.
func (s *Store) indexSections(ctx context.Context, sections []model.Section, items []ingestItem) ([]string, error) {
	if len(items) == 0 || len(sections) == 0 {
		return nil, nil
	}
	pipe := s.client.Pipeline()
	cmds := make([]*redis.Cmd, len(sections))
	for i, sec := range sections {
		cmds[i] = s.section.EvalSha(ctx, pipe, []string{s.keys.SectionEntries(sec.ID)}, sectionArgs(sec, items)...)
	}
	_, _ = pipe.Exec(ctx) // errors are read per command below
	var changed []string
	for i, sec := range sections {
		cmd := cmds[i]
		if isNoScript(cmd.Err()) {
			cmd = s.section.Run(ctx, s.client, []string{s.keys.SectionEntries(sec.ID)}, sectionArgs(sec, items)...)
		}
		n, err := cmd.Int()
		if err != nil {
			return changed, fmt.Errorf("index section %s: %w", sec.ID, err)
		}
		if n == 1 {
			changed = append(changed, sec.ID)
		}
	}
	return changed, nil
}

func isNoScript(err error) bool {
	return err != nil && strings.HasPrefix(err.Error(), "NOSCRIPT")
}

// sectionArgs builds ARGV for sectionIndexScript.
func sectionArgs(sec model.Section, items []ingestItem) []any {
	args := make([]any, 0, 2+3*len(items))
	args = append(args, sectionMax(sec), len(items))
	for _, it := range items {
		args = append(args, formatScore(it.entry), it.entry.ID)
	}
	for _, it := range items {
		if it.change != changeUnchanged {
			args = append(args, it.entry.ID)
		}
	}
	return args
}
