package store

import (
	"context"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// staleDecide decides, at a poll's state write, whether the source
// crossed its threshold, and flips stale_alerted when it did: one script
// on one key, so of two instances writing at once exactly one sees the
// crossing. A source goes stale with the passing of time, not at an
// ingest, so every poll (a 304 too) decides again; the crossing is
// announced by the first poll after the threshold.
//
// It writes the poll's state first, so a poll still writes its state with
// one command. KEYS[1] is the state hash; ARGV[1] now (unix ms), ARGV[2]
// the threshold (ms), ARGV[3] "1" when the poll succeeded (the first
// success sets first_seen), then the state's fields and values, if any.
// It answers {kind, newest_entry, first_seen}: kind
// "backfill" when newest_entry is missing (nothing is decided; the caller
// backfills and asks again), "stale" or "fresh" on a crossing, "" else.
// A source seen for the first time that is already stale crosses; one
// that is fresh only records it.
var staleDecide = redis.NewScript(`
if #ARGV > 3 then redis.call('HSET', KEYS[1], unpack(ARGV, 4)) end
local newest = redis.call('HGET', KEYS[1], 'newest_entry')
if not newest then return {'backfill', '0', '0'} end
local first = redis.call('HGET', KEYS[1], 'first_seen')
if not first and ARGV[3] == '1' then
  first = ARGV[1]
  redis.call('HSET', KEYS[1], 'first_seen', first)
end
local since = tonumber(newest) or 0
if since <= 0 then since = tonumber(first or '') or 0 end
local kind = ''
if since > 0 then
  local stale = tonumber(ARGV[1]) - since > tonumber(ARGV[2])
  local was = redis.call('HGET', KEYS[1], 'stale_alerted')
  if stale and was ~= '1' then
    redis.call('HSET', KEYS[1], 'stale_alerted', '1')
    kind = 'stale'
  elseif not stale and was == '1' then
    redis.call('HSET', KEYS[1], 'stale_alerted', '0')
    kind = 'fresh'
  elseif not stale and not was then
    redis.call('HSET', KEYS[1], 'stale_alerted', '0')
  end
end
return {kind, newest, first or '0'}
`)

// staleCountField is the field of SourceStateCounts counting the sources
// whose last poll decided they were stale.
const staleCountField = model.FreshnessStale

// SavePollFreshness is SavePoll whose state write also decides whether
// the source crossed its stale threshold (see staleDecide), in the same
// round trip and with as many commands, and keeps the count of stale
// sources for /metrics as it does. The crossing is the poll's to
// announce: no other poll, on this instance or another, sees it again.
func (s *Store) SavePollFreshness(ctx context.Context, sourceID string, prev, st model.SourceState, rec model.PollRecord, chk model.FreshnessCheck) (model.FreshnessCrossing, error) {
	data, err := pollData(sourceID, rec)
	if err != nil {
		return model.FreshnessCrossing{}, err
	}
	keys, args := s.staleArgs(sourceID, chk)
	args = append(args, transitionFields(prev, st)...)
	// By its hash: every poll sending the script's text cost Redis more
	// than the poll's other commands together. A Redis that lost its
	// scripts (a restart, SCRIPT FLUSH) answers NOSCRIPT, and the script
	// alone is sent again, in full; the pipeline's other commands do not
	// depend on it. The pipeline is shared with the polls writing at the
	// same moment (see groupCommit).
	var decided *redis.Cmd
	cmds := s.writes.do(ctx, s.client, func(pipe redis.Pipeliner) {
		decided = staleDecide.EvalSha(ctx, pipe, keys, args...)
		countTransition(ctx, pipe, s.keys.SourceStateCounts(), prev.State(), st.State())
		s.queuePoll(ctx, pipe, sourceID, data)
	})
	for _, c := range cmds {
		if c.Err() != nil && c != redis.Cmder(decided) {
			return model.FreshnessCrossing{}, fmt.Errorf("save source %s state and poll: %w", sourceID, c.Err())
		}
	}
	if err := decided.Err(); err != nil {
		if !isNoScript(err) {
			return model.FreshnessCrossing{}, fmt.Errorf("save source %s state and poll: %w", sourceID, err)
		}
		decided = staleDecide.Run(ctx, s.client, keys, args...)
	}
	return s.crossing(ctx, sourceID, chk, decided)
}

func (s *Store) staleArgs(sourceID string, chk model.FreshnessCheck) ([]string, []any) {
	succeeded := "0"
	if chk.Succeeded {
		succeeded = "1"
	}
	threshold := model.Freshness{StaleAfter: chk.StaleAfter}.Threshold()
	return []string{s.keys.SourceState(sourceID)}, []any{chk.Now.UnixMilli(), threshold.Milliseconds(), succeeded}
}

// crossing reads staleDecide's answer: it backfills a source whose
// entries predate the freshness fields and decides again, and moves the
// stale count on a crossing.
func (s *Store) crossing(ctx context.Context, sourceID string, chk model.FreshnessCheck, decided *redis.Cmd) (model.FreshnessCrossing, error) {
	kind, newest, first, err := decidedOf(decided)
	if err != nil {
		return model.FreshnessCrossing{}, fmt.Errorf("decide freshness of %s: %w", sourceID, err)
	}
	if kind == "backfill" {
		if err := s.backfillFreshness(ctx, sourceID, zoneOr(chk.Zone), chk.Now, nil); err != nil {
			return model.FreshnessCrossing{}, err
		}
		keys, args := s.staleArgs(sourceID, chk)
		if kind, newest, first, err = decidedOf(staleDecide.Run(ctx, s.client, keys, args...)); err != nil {
			return model.FreshnessCrossing{}, fmt.Errorf("decide freshness of %s: %w", sourceID, err)
		}
	}
	out := model.FreshnessCrossing{To: kind, LastEntry: msTime(newest), FirstSeen: msTime(first),
		StaleAfter: model.Freshness{StaleAfter: chk.StaleAfter}.Threshold()}
	if err := s.countCrossing(ctx, kind); err != nil {
		return out, err
	}
	return out, nil
}

// countCrossing moves the stale count of SourceStateCounts with a
// crossing. It follows the script rather than joining it (the counts live
// in another slot on a Cluster); a crash in between leaves a drift the
// periodic recount puts right.
func (s *Store) countCrossing(ctx context.Context, kind string) error {
	var by int64
	switch kind {
	case model.FreshnessStale:
		by = 1
	case model.FreshnessFresh:
		by = -1
	default:
		return nil
	}
	if err := s.client.HIncrBy(ctx, s.keys.SourceStateCounts(), staleCountField, by).Err(); err != nil {
		return fmt.Errorf("count stale sources: %w", err)
	}
	return nil
}

// decidedOf reads staleDecide's reply.
func decidedOf(cmd *redis.Cmd) (kind, newest, first string, err error) {
	vals, err := cmd.StringSlice()
	if err != nil {
		return "", "", "", err
	}
	if len(vals) != 3 {
		return "", "", "", fmt.Errorf("unexpected reply %q", vals)
	}
	return vals[0], vals[1], vals[2], nil
}

func zoneOr(loc *time.Location) *time.Location {
	if loc == nil {
		return time.UTC
	}
	return loc
}
