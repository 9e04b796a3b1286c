package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// A source's freshness (see model.Freshness) is kept as it changes, so
// the report reads a few fields and one small hash per source and never
// scans entries:
//
//   - the state hash's newest_entry (unix ms of the newest entry's
//     published time, "0" for none) and first_seen (unix ms of the first
//     successful ingest or poll), written by ingest;
//   - its stale_alerted ("1" or "0"), the staleness the last poll decided,
//     flipped by one script so a crossing is announced once across
//     instances (see SavePollFreshness);
//   - SourceActivity, the new entries per day.
//
// Each script touches one key, so it runs on Redis Cluster too.
const (
	fieldNewestEntry  = "newest_entry"
	fieldFirstSeen    = "first_seen"
	fieldStaleAlerted = "stale_alerted"
)

// activityTTL lets the activity of a source that stopped publishing (or
// left the config) go on its own once every day it holds is out of the
// window; each count renews it.
const activityTTL = (model.ActivityDays + 1) * 24 * time.Hour

// freshnessIngest records what an ingest learned: the newest entry,
// never lowered, and the first success. KEYS[1] is the state hash;
// ARGV[1] the batch's newest entry (unix ms, 0 for none), ARGV[2] now.
// It answers 1 when newest_entry is missing, i.e. the source's entries
// were stored before the store kept it: then it writes no newest entry,
// and the caller backfills from the stored entries first (see
// backfillFreshness), so that the backfill's HSETNX decides alone who
// counts them.
var freshnessIngest = redis.NewScript(`
redis.call('HSETNX', KEYS[1], 'first_seen', ARGV[2])
local cur = redis.call('HGET', KEYS[1], 'newest_entry')
if not cur then return 1 end
if tonumber(ARGV[1]) > (tonumber(cur) or 0) then
  redis.call('HSET', KEYS[1], 'newest_entry', ARGV[1])
end
return 0
`)

// activityCount adds to a source's daily counts and drops the days that
// left the window. KEYS[1] is the activity hash; ARGV[1] the oldest day
// kept, ARGV[2] the TTL in seconds, then pairs of day and count. Days
// compare as strings (YYYY-MM-DD).
var activityCount = redis.NewScript(`
for i = 3, #ARGV, 2 do
  if ARGV[i] >= ARGV[1] then
    redis.call('HINCRBY', KEYS[1], ARGV[i], ARGV[i + 1])
  end
end
for _, day in ipairs(redis.call('HKEYS', KEYS[1])) do
  if day < ARGV[1] then redis.call('HDEL', KEYS[1], day) end
end
if redis.call('EXISTS', KEYS[1]) == 1 then
  redis.call('EXPIRE', KEYS[1], ARGV[2])
end
return 0
`)

// batchFreshness is what one ingest's batch says of the source's
// publishing: its newest entry (zero: none usable), the new entries per
// day, and the ids of the new ones.
type batchFreshness struct {
	newest time.Time
	days   map[string]int
	fresh  map[string]bool
}

// freshnessOf reads a batch: only entries dated at most
// model.FreshnessFutureTolerance after now count, each at the earlier of
// its date and now (an entry is never newer than its ingest); only new
// entries count in the days, in loc, within the kept window.
func freshnessOf(items []ingestItem, now time.Time, loc *time.Location) batchFreshness {
	b := batchFreshness{days: map[string]int{}, fresh: map[string]bool{}}
	oldest, _ := activityWindow(now, loc)
	for _, it := range items {
		at, ok := countedAt(it.entry.Published, now)
		if !ok {
			continue
		}
		if at.After(b.newest) {
			b.newest = at
		}
		if it.change != changeNew {
			continue
		}
		b.fresh[it.entry.ID] = true
		if day := model.ActivityDay(at, loc); day >= oldest {
			b.days[day]++
		}
	}
	return b
}

// countedAt is when an entry published at p counts as published: p, or
// now for a date slightly ahead; ok is false for none or one too far
// ahead.
func countedAt(p, now time.Time) (time.Time, bool) {
	switch {
	case p.IsZero(), p.After(now.Add(model.FreshnessFutureTolerance)):
		return time.Time{}, false
	case p.After(now):
		return now, true
	}
	return p, true
}

// activityWindow is the oldest day the activity keeps (as its field
// name) and when that day starts, in loc.
func activityWindow(now time.Time, loc *time.Location) (string, time.Time) {
	y, m, d := now.In(loc).Date()
	start := time.Date(y, m, d-(model.ActivityDays-1), 0, 0, 0, 0, loc)
	return start.Format(model.ActivityDayLayout), start
}

// recordFreshness updates the source's freshness from an ingested batch,
// in one round trip (two when the source's entries predate the fields).
// It runs after the batch is indexed and before the index is trimmed, so
// a backfill finds every entry still stored and tells the batch's new
// ones apart.
func (s *Store) recordFreshness(ctx context.Context, rules Policy, items []ingestItem, now time.Time) error {
	src := rules.Source
	loc := model.ActivityZone(rules.Sections, src)
	b := freshnessOf(items, now, loc)
	pipe := s.client.Pipeline()
	missing := freshnessIngest.Eval(ctx, pipe, []string{s.keys.SourceState(src.ID)}, unixMs(b.newest), now.UnixMilli())
	s.queueActivity(ctx, pipe, src.ID, b.days, now, loc)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("record freshness of %s: %w", src.ID, err)
	}
	if n, _ := missing.Int(); n == 0 {
		return nil
	}
	if err := s.backfillFreshness(ctx, src.ID, loc, now, b.fresh); err != nil {
		return err
	}
	err := freshnessIngest.Run(ctx, s.client, []string{s.keys.SourceState(src.ID)}, unixMs(b.newest), now.UnixMilli()).Err()
	if err != nil {
		return fmt.Errorf("record freshness of %s: %w", src.ID, err)
	}
	return nil
}

// queueActivity queues the addition of days to the source's activity;
// nothing when there is nothing to count.
func (s *Store) queueActivity(ctx context.Context, pipe redis.Pipeliner, sourceID string, days map[string]int, now time.Time, loc *time.Location) {
	if len(days) == 0 {
		return
	}
	oldest, _ := activityWindow(now, loc)
	args := make([]any, 0, 2+2*len(days))
	args = append(args, oldest, int64(activityTTL/time.Second))
	for day, n := range days {
		args = append(args, day, n)
	}
	activityCount.Eval(ctx, pipe, []string{s.keys.SourceActivity(sourceID)}, args...)
}

// backfillFreshness gives a source whose entries were stored before the
// store kept its freshness a newest entry and daily counts, read once from
// its entry index: the newest score not too far ahead, and the entries of
// the kept window, but those in skip (the new entries of the batch being
// ingested, counted by it). An HSETNX of newest_entry makes one caller do
// it, whichever instance or step gets there first. The index keeps a
// source's newest entries only (at least MinSourceEntries), so the counts
// of a prolific source start lower than they were.
func (s *Store) backfillFreshness(ctx context.Context, sourceID string, loc *time.Location, now time.Time, skip map[string]bool) error {
	key := s.keys.SourceEntries(sourceID)
	ahead := strconv.FormatInt(now.Add(model.FreshnessFutureTolerance).UnixMilli(), 10)
	_, start := activityWindow(now, loc)
	pipe := s.client.Pipeline()
	top := pipe.ZRevRangeByScoreWithScores(ctx, key, &redis.ZRangeBy{Max: ahead, Min: "-inf", Count: 1})
	window := pipe.ZRangeByScoreWithScores(ctx, key, &redis.ZRangeBy{Min: strconv.FormatInt(start.UnixMilli(), 10), Max: ahead})
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("backfill freshness of %s: %w", sourceID, err)
	}
	var newest time.Time
	if z := top.Val(); len(z) > 0 {
		newest, _ = countedAt(time.UnixMilli(int64(z[0].Score)), now)
	}
	won, err := s.client.HSetNX(ctx, s.keys.SourceState(sourceID), fieldNewestEntry, unixMs(newest)).Result()
	if err != nil || !won {
		return wrapErr("backfill freshness of "+sourceID, err)
	}
	days := map[string]int{}
	for _, z := range window.Val() {
		if id, _ := z.Member.(string); !skip[id] {
			at, _ := countedAt(time.UnixMilli(int64(z.Score)), now)
			days[model.ActivityDay(at, loc)]++
		}
	}
	pipe = s.client.Pipeline()
	s.queueActivity(ctx, pipe, sourceID, days, now, loc)
	if len(days) > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return fmt.Errorf("backfill freshness of %s: %w", sourceID, err)
		}
	}
	s.logger.Info("freshness read from stored entries", "source", sourceID, "newest_entry", newest, "days", len(days))
	return nil
}

// unixMs is t in unix milliseconds, 0 for the zero time.
func unixMs(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// msTime reads a unix-milliseconds field; "", "0" or junk is the zero
// time.
func msTime(v string) time.Time {
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		return time.Time{}
	}
	return time.UnixMilli(n).UTC()
}

// wrapErr wraps err with what failed, or is nil.
func wrapErr(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("%s: %w", what, err)
}
