package store

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Review before publishing. In a section with review, the section merge
// (sectionIndexScript) holds every entry new to the section in its queue
// (SectionPending) instead of its index; an editor's approval puts it in
// the index at its published position, a rejection keeps it out for
// good (SectionReviewed). Each decision is one script on the section's
// hash-tagged keys, atomic against every instance's merges, followed by
// the version bump and event that make every instance drop its renders.

const (
	// PendingCap bounds a section's review queue: past it, new entries
	// stay out of the section unqueued until editors decide on some (the
	// merge offers them again on every poll).
	PendingCap = 10000
	// ReviewedCap is the size of a section's decisions past which those
	// whose entry was deleted (it left its source's feed and index) are
	// dropped. Dropping one never publishes anything: an entry without a
	// decision that comes back waits in the queue again.
	ReviewedCap = 20000
)

// Refusals of review decisions, for errors.Is.
var (
	// ErrNotQueued: the entry is neither waiting in the section's queue
	// nor decided there.
	ErrNotQueued = errors.New("entry is not waiting for review in the section")
	// ErrRejected: a rejected entry cannot be approved.
	ErrRejected = errors.New("entry was rejected in the section")
	// ErrPublished: a published entry cannot be rejected (hide it).
	ErrPublished = errors.New("entry is published in the section")
)

// approveScript approves a queued entry: it records the approval, drops
// it from the queue and adds it to the index at score, unless the
// section's rules would leave it out at once (as unhideScript decides).
// KEYS: index, queue, decisions, section sources. ARGV: entry id, score
// ("" when the entry no longer exists), max items, lowest admitted score
// ("" for none), the entry's source id, "1" when the section lists that
// source, now (ms). Returns 2 approved and shown, 1 approved but not
// shown, 3 in the index already (approved before, or published before
// review), 0 approved before and not shown, -1 neither queued nor
// decided, -2 rejected.
var approveScript = redis.NewScript(`
local key, pkey, rvkey, skey = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local m, raw = ARGV[1], ARGV[2]
local d = redis.call('HGET', rvkey, m)
if d and string.sub(d, 1, 1) == 'r' then return -2 end
if d or redis.call('HDEL', pkey, m) == 0 then
  redis.call('HDEL', pkey, m)
  if redis.call('ZSCORE', key, m) then return 3 end
  if d then return 0 end
  return -1
end
redis.call('HSET', rvkey, m, 'a ' .. ARGV[7])
if raw == '' then return 1 end
if ARGV[6] ~= '1' and redis.call('EXISTS', skey) == 1 then
  local rec = redis.call('HGET', skey, ARGV[5])
  if rec ~= 'member' and rec ~= 'kept' then return 1 end
end
local s = tonumber(raw)
local minScore = tonumber(ARGV[4])
if minScore and s < minScore then return 1 end
if redis.call('ZCARD', key) >= tonumber(ARGV[3]) then
  local low = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')[2]
  if low and s < tonumber(low) then return 1 end
end
redis.call('ZADD', key, raw, m)
return 2
`)

// rejectScript rejects a queued entry: it records the rejection and drops
// it from the queue. KEYS: index, queue, decisions. ARGV: entry id, now
// (ms). Returns 1 rejected, 0 rejected before, -1 neither queued nor
// decided, -3 approved or in the index.
var rejectScript = redis.NewScript(`
local key, pkey, rvkey = KEYS[1], KEYS[2], KEYS[3]
local m = ARGV[1]
local d = redis.call('HGET', rvkey, m)
if d then
  if string.sub(d, 1, 1) == 'r' then
    redis.call('HDEL', pkey, m)
    return 0
  end
  return -3
end
if redis.call('HDEL', pkey, m) == 0 then
  if redis.call('ZSCORE', key, m) then return -3 end
  return -1
end
redis.call('HSET', rvkey, m, 'r ' .. ARGV[2])
return 1
`)

// reviewArgs are sectionIndexScript's review arguments for sec (see
// there): none reviews nothing.
func reviewArgs(sec model.Section, now time.Time) []any {
	if !sec.Review {
		return []any{"", "", now.UnixMilli(), PendingCap}
	}
	return []any{"1", strings.Join(sec.TrustedSourceIDs, " "), now.UnixMilli(), PendingCap}
}

// Approve approves entries waiting in sec's queue, in order: each enters
// the section at its published position, as far as its max_items and
// max_age admit it and provided its source may still hold entries there,
// and stays in it when its source edits it. Approving an approved entry,
// or one published before review, changes nothing. The first refusal
// (ErrNotQueued, ErrRejected) stops the run; the outcomes before it are
// returned with it, and the section is announced when any now shows.
func (s *Store) Approve(ctx context.Context, sec model.Section, entryIDs []string, now time.Time) ([]model.ReviewOutcome, error) {
	loaded, err := s.loadEntries(ctx, entryIDs)
	if err != nil {
		return nil, fmt.Errorf("approve in section %s: %w", sec.ID, err)
	}
	minScore := ""
	if ms, ok := sec.MinScore(now); ok {
		minScore = strconv.FormatInt(ms, 10)
	}
	keys := []string{s.keys.SectionEntries(sec.ID), s.keys.SectionPending(sec.ID), s.keys.SectionReviewed(sec.ID), s.keys.SectionSources(sec.ID)}
	var out []model.ReviewOutcome
	shown := false
	for i, id := range entryIDs {
		raw, sourceID, listed, title := "", "", "", ""
		if e := loaded[i]; e != nil {
			raw, sourceID, title = formatScore(*e), e.SourceID, e.Title
			if slices.Contains(sec.SourceIDs, e.SourceID) {
				listed = "1"
			}
		}
		n, err := approveScript.Run(ctx, s.client, keys, id, raw, sec.Keep(), minScore, sourceID, listed, now.UnixMilli()).Int()
		if err == nil {
			err = reviewRefusal(n)
		}
		if err != nil {
			return out, s.decided(ctx, "approve", sec.ID, id, shown, now, err)
		}
		shown = shown || n == 2
		out = append(out, model.ReviewOutcome{EntryID: id, State: model.ReviewApproved, Shown: n == 2 || n == 3, Title: title})
		s.logger.Info("entry reviewed", "action", "approve", "section_id", sec.ID, "entry_id", id, "shown", n == 2 || n == 3)
	}
	return out, s.decided(ctx, "approve", sec.ID, "", shown, now, nil)
}

// Reject rejects entries waiting in a section's queue, for good: no
// re-poll, edit at the source, restart or reload brings one into the
// section. Rejecting a rejected entry changes nothing; an approved or
// published one is refused with ErrPublished (hide it instead). The
// first refusal stops the run, with the outcomes before it.
func (s *Store) Reject(ctx context.Context, sectionID string, entryIDs []string, now time.Time) ([]model.ReviewOutcome, error) {
	loaded, err := s.loadEntries(ctx, entryIDs)
	if err != nil {
		return nil, fmt.Errorf("reject in section %s: %w", sectionID, err)
	}
	keys := []string{s.keys.SectionEntries(sectionID), s.keys.SectionPending(sectionID), s.keys.SectionReviewed(sectionID)}
	var out []model.ReviewOutcome
	for i, id := range entryIDs {
		n, err := rejectScript.Run(ctx, s.client, keys, id, now.UnixMilli()).Int()
		if err == nil {
			err = reviewRefusal(n)
		}
		if err != nil {
			return out, s.decided(ctx, "reject", sectionID, id, false, now, err)
		}
		title := ""
		if e := loaded[i]; e != nil {
			title = e.Title
		}
		out = append(out, model.ReviewOutcome{EntryID: id, State: model.ReviewRejected, Title: title})
		s.logger.Info("entry reviewed", "action", "reject", "section_id", sectionID, "entry_id", id)
	}
	return out, s.decided(ctx, "reject", sectionID, "", false, now, nil)
}

func reviewRefusal(n int) error {
	switch n {
	case -1:
		return ErrNotQueued
	case -2:
		return ErrRejected
	case -3:
		return ErrPublished
	}
	return nil
}

// decided finishes a run of decisions: it announces the section when an
// entry entered it, bounds the decisions, and wraps err (the refusal that
// stopped the run, naming entryID).
func (s *Store) decided(ctx context.Context, action, sectionID, entryID string, shown bool, now time.Time, err error) error {
	if err != nil {
		err = fmt.Errorf("%s %s in section %s: %w", action, entryID, sectionID, err)
	}
	if shown {
		if aerr := s.announce(ctx, []string{sectionID}, now); aerr != nil && err == nil {
			err = fmt.Errorf("%s in section %s: %w", action, sectionID, aerr)
		}
	}
	if perr := s.pruneReviewed(ctx, sectionID); perr != nil && err == nil {
		err = fmt.Errorf("%s in section %s: %w", action, sectionID, perr)
	}
	return err
}

// pruneReviewed drops the decisions whose entry no longer exists once a
// section holds more than ReviewedCap.
func (s *Store) pruneReviewed(ctx context.Context, sectionID string) error {
	key := s.keys.SectionReviewed(sectionID)
	n, err := s.client.HLen(ctx, key).Result()
	if err != nil || n <= ReviewedCap {
		return err
	}
	ids, err := s.client.HKeys(ctx, key).Result()
	if err != nil {
		return fmt.Errorf("prune review decisions: %w", err)
	}
	gone, err := s.missingEntries(ctx, ids)
	if err != nil {
		return fmt.Errorf("prune review decisions: %w", err)
	}
	return s.dropFields(ctx, key, gone)
}

// missingEntries returns the ids whose entry key does not exist.
func (s *Store) missingEntries(ctx context.Context, ids []string) ([]string, error) {
	b := s.newBatch()
	cmds := make([]*redis.IntCmd, len(ids))
	for i, id := range ids {
		cmds[i] = b.pipe.Exists(ctx, s.keys.Entry(id))
		if err := b.queued(ctx, 0); err != nil {
			return nil, err
		}
	}
	if err := b.send(ctx); err != nil {
		return nil, err
	}
	var gone []string
	for i, cmd := range cmds {
		if cmd.Val() == 0 {
			gone = append(gone, ids[i])
		}
	}
	return gone, nil
}

// ReviewQueue returns the entries waiting in a section's queue, newest
// published first (ties by id), at most limit of them (0: all), and how
// many wait in all. Queued entries that were deleted are dropped from the
// queue on the way.
func (s *Store) ReviewQueue(ctx context.Context, sectionID string, limit int) ([]model.PendingEntry, int, error) {
	fields, err := s.client.HGetAll(ctx, s.keys.SectionPending(sectionID)).Result()
	if err != nil {
		return nil, 0, fmt.Errorf("read review queue of section %s: %w", sectionID, err)
	}
	ids := sortedFields(fields)
	loaded, err := s.loadEntries(ctx, ids)
	if err != nil {
		return nil, 0, fmt.Errorf("read review queue of section %s: %w", sectionID, err)
	}
	out := make([]model.PendingEntry, 0, len(ids))
	var gone []string
	for i, e := range loaded {
		if e == nil {
			gone = append(gone, ids[i])
			continue
		}
		ms, _ := strconv.ParseInt(fields[ids[i]], 10, 64)
		out = append(out, model.PendingEntry{Entry: *e, HeldAt: time.UnixMilli(ms).UTC()})
	}
	if err := s.dropFields(ctx, s.keys.SectionPending(sectionID), gone); err != nil {
		return nil, 0, fmt.Errorf("read review queue of section %s: %w", sectionID, err)
	}
	slices.SortFunc(out, func(a, b model.PendingEntry) int {
		if c := b.Entry.Published.Compare(a.Entry.Published); c != 0 {
			return c
		}
		return cmp.Compare(a.Entry.ID, b.Entry.ID)
	})
	total := len(out)
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, total, nil
}

// PendingCounts returns how many entries wait in each section's queue
// (one HLEN each, pipelined; deleted entries not yet dropped by a
// ReviewQueue read count too).
func (s *Store) PendingCounts(ctx context.Context, sectionIDs []string) (map[string]int, error) {
	pipe := s.client.Pipeline()
	cmds := make([]*redis.IntCmd, len(sectionIDs))
	for i, id := range sectionIDs {
		cmds[i] = pipe.HLen(ctx, s.keys.SectionPending(id))
	}
	if len(sectionIDs) > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, fmt.Errorf("count review queues: %w", err)
		}
	}
	out := make(map[string]int, len(sectionIDs))
	for i, id := range sectionIDs {
		out[id] = int(cmds[i].Val())
	}
	return out, nil
}

// heldEntries turns the ids the merge queued into entries, per section in
// the order of sections: from the batch when there, else from the store
// (a runner-up of another source held in a rival's place).
func (s *Store) heldEntries(ctx context.Context, sections []model.Section, held map[string][]string, items []ingestItem) ([]model.ReviewHeld, error) {
	if len(held) == 0 {
		return nil, nil
	}
	byID := make(map[string]*model.Entry, len(items))
	for i := range items {
		byID[items[i].entry.ID] = &items[i].entry
	}
	var out []model.ReviewHeld
	for _, sec := range sections {
		ids := held[sec.ID]
		if len(ids) == 0 {
			continue
		}
		rh := model.ReviewHeld{SectionID: sec.ID}
		var missing []string
		for _, id := range ids {
			if e := byID[id]; e != nil {
				rh.Entries = append(rh.Entries, *e)
			} else {
				missing = append(missing, id)
			}
		}
		loaded, err := s.loadEntries(ctx, missing)
		if err != nil {
			return nil, fmt.Errorf("read held entries: %w", err)
		}
		for _, e := range loaded {
			if e != nil {
				rh.Entries = append(rh.Entries, *e)
			}
		}
		out = append(out, rh)
	}
	return out, nil
}
