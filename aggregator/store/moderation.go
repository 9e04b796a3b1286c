package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Moderation: editors hide entries from a section and pin entries to its
// top. Each decision is one script on the section's hash-tagged keys
// (index, hidden hash, pins hash), so it is atomic against the section
// merge of every instance, followed by the usual version bump and event
// (announce) so every instance drops its renders of the section.

const (
	// HiddenCap bounds the hidden marks of one section. Marks whose entry
	// was deleted (it left its source's feed and index) are dropped when
	// the cap is met, so the cap only refuses an editor who hid this many
	// entries that still exist.
	HiddenCap = 10000
	// PinCap bounds the pins of one section: a top of the page, not a
	// second index.
	PinCap = 50
)

// Refusals of moderation, for errors.Is.
var (
	// ErrNotInSection: the entry is neither in the section nor hidden
	// there.
	ErrNotInSection = errors.New("entry is not in the section")
	// ErrHidden: a hidden entry cannot be pinned.
	ErrHidden = errors.New("entry is hidden in the section")
	// ErrModerationFull: the section has HiddenCap hidden or PinCap
	// pinned entries.
	ErrModerationFull = errors.New("too many moderated entries in the section")
)

// hideScript hides an entry: it marks it hidden with its score, takes it
// out of the index and unpins it. Its dedup claims stay (see
// sectionIndexScript). KEYS: index, hidden, pins. ARGV: entry id, now
// (ms), cap. Returns 1 hidden, 0 already hidden, -1 not in the section,
// -2 at the cap.
var hideScript = redis.NewScript(`
local key, hkey, pkey = KEYS[1], KEYS[2], KEYS[3]
local m = ARGV[1]
if redis.call('HEXISTS', hkey, m) == 1 then return 0 end
local raw = redis.call('ZSCORE', key, m)
if not raw then return -1 end
if redis.call('HLEN', hkey) >= tonumber(ARGV[3]) then return -2 end
redis.call('HSET', hkey, m, ARGV[2] .. ' ' .. raw)
redis.call('ZREM', key, m)
redis.call('HDEL', pkey, m)
return 1
`)

// unhideScript drops an entry's hidden mark and puts it back in the index
// at score, unless the section's rules would leave it out right away:
// its source left the section without keeping its entries there (the
// section's record of sources exists and names it neither as a member
// nor as kept, and the section does not list it), older than the lowest admitted score, or
// below the lowest member of a full index. It does not trim: the index is
// at most one over max_items per unhide until the next merge into the
// section trims it. KEYS: index, hidden, section sources. ARGV: entry id,
// score ("" when the entry no longer exists), max items, lowest admitted
// score ("" for none), the entry's source id, "1" when the section lists
// that source. Returns 2 back in the index, 1 unhidden but not shown, 0
// not hidden and in the index, -1 neither.
var unhideScript = redis.NewScript(`
local key, hkey, skey = KEYS[1], KEYS[2], KEYS[3]
local m, raw = ARGV[1], ARGV[2]
if redis.call('HDEL', hkey, m) == 0 then
  if redis.call('ZSCORE', key, m) then return 0 end
  return -1
end
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

// pinScript pins an entry (again: a repeated pin moves it to the top and
// sets its new expiry), first dropping pins that expired or whose entry
// left the index. KEYS: index, hidden, pins. ARGV: entry id, now (ms),
// until (ms, 0 for none), cap. Returns 1 pinned, -1 not in the section, -2
// hidden, -3 at the cap.
var pinScript = redis.NewScript(`
local key, hkey, pkey = KEYS[1], KEYS[2], KEYS[3]
local m, now = ARGV[1], tonumber(ARGV[2])
if redis.call('HEXISTS', hkey, m) == 1 then return -2 end
if not redis.call('ZSCORE', key, m) then return -1 end
local all = redis.call('HGETALL', pkey)
local n = 0
for i = 1, #all, 2 do
  local f, v = all[i], all[i + 1]
  local u = tonumber(string.match(v, ' (%S+)$')) or 0
  if (u > 0 and u <= now) or not redis.call('ZSCORE', key, f) then
    redis.call('HDEL', pkey, f)
  elseif f ~= m then
    n = n + 1
  end
end
if n >= tonumber(ARGV[4]) then return -3 end
redis.call('HSET', pkey, m, ARGV[2] .. ' ' .. ARGV[3])
return 1
`)

// unpinScript unpins an entry. KEYS: index, hidden, pins. ARGV: entry id.
// Returns 1 unpinned, 0 not pinned but in the section or hidden there, -1
// neither.
var unpinScript = redis.NewScript(`
local key, hkey, pkey = KEYS[1], KEYS[2], KEYS[3]
local m = ARGV[1]
if redis.call('HDEL', pkey, m) == 1 then return 1 end
if redis.call('ZSCORE', key, m) or redis.call('HEXISTS', hkey, m) == 1 then return 0 end
return -1
`)

func (s *Store) moderationKeys(sectionID string) []string {
	return []string{s.keys.SectionEntries(sectionID), s.keys.SectionHidden(sectionID), s.keys.SectionPins(sectionID)}
}

// Hide takes an entry out of a section, for good: merges skip it until
// Unhide. A pin on it goes. Hiding a hidden entry changes nothing.
func (s *Store) Hide(ctx context.Context, sectionID, entryID string, now time.Time) error {
	args := []any{entryID, now.UnixMilli(), HiddenCap}
	n, err := hideScript.Run(ctx, s.client, s.moderationKeys(sectionID), args...).Int()
	if err == nil && n == -2 {
		// At the cap: drop the marks of deleted entries and try once more.
		if err = s.pruneHidden(ctx, sectionID); err == nil {
			n, err = hideScript.Run(ctx, s.client, s.moderationKeys(sectionID), args...).Int()
		}
	}
	if err != nil {
		return fmt.Errorf("hide %s in section %s: %w", entryID, sectionID, err)
	}
	switch n {
	case -1:
		return fmt.Errorf("hide %s in section %s: %w", entryID, sectionID, ErrNotInSection)
	case -2:
		return fmt.Errorf("hide %s in section %s: %w (%d hidden)", entryID, sectionID, ErrModerationFull, HiddenCap)
	case 1:
		return s.moderated(ctx, "hide", sectionID, entryID, now)
	}
	return nil
}

// Unhide lets a hidden entry back into sec, at its published position, as
// far as sec's max_items and max_age admit it and provided its source may
// still hold entries there (see ReconcileSection). Unhiding an entry that is
// in the section and not hidden changes nothing.
func (s *Store) Unhide(ctx context.Context, sec model.Section, entryID string, now time.Time) error {
	loaded, err := s.loadEntries(ctx, []string{entryID})
	if err != nil {
		return fmt.Errorf("unhide %s in section %s: %w", entryID, sec.ID, err)
	}
	raw, sourceID, listed := "", "", ""
	if e := loaded[0]; e != nil {
		raw, sourceID = formatScore(*e), e.SourceID
		if slices.Contains(sec.SourceIDs, e.SourceID) {
			listed = "1"
		}
	}
	minScore := ""
	if ms, ok := sec.MinScore(now); ok {
		minScore = strconv.FormatInt(ms, 10)
	}
	keys := []string{s.keys.SectionEntries(sec.ID), s.keys.SectionHidden(sec.ID), s.keys.SectionSources(sec.ID)}
	n, err := unhideScript.Run(ctx, s.client, keys, entryID, raw, sec.Keep(), minScore, sourceID, listed).Int()
	if err != nil {
		return fmt.Errorf("unhide %s in section %s: %w", entryID, sec.ID, err)
	}
	switch n {
	case -1:
		return fmt.Errorf("unhide %s in section %s: %w", entryID, sec.ID, ErrNotInSection)
	case 2:
		return s.moderated(ctx, "unhide", sec.ID, entryID, now)
	}
	return nil
}

// Pin puts an entry of a section at the top of its page until Unpin or
// until (zero: no expiry). The most recently pinned comes first.
func (s *Store) Pin(ctx context.Context, sectionID, entryID string, until, now time.Time) error {
	var untilMS int64
	if !until.IsZero() {
		untilMS = until.UnixMilli()
	}
	n, err := pinScript.Run(ctx, s.client, s.moderationKeys(sectionID), entryID, now.UnixMilli(), untilMS, PinCap).Int()
	if err != nil {
		return fmt.Errorf("pin %s in section %s: %w", entryID, sectionID, err)
	}
	switch n {
	case -1:
		return fmt.Errorf("pin %s in section %s: %w", entryID, sectionID, ErrNotInSection)
	case -2:
		return fmt.Errorf("pin %s in section %s: %w", entryID, sectionID, ErrHidden)
	case -3:
		return fmt.Errorf("pin %s in section %s: %w (%d pinned)", entryID, sectionID, ErrModerationFull, PinCap)
	}
	return s.moderated(ctx, "pin", sectionID, entryID, now)
}

// Unpin returns a pinned entry to its published position. Unpinning an
// entry of the section that is not pinned changes nothing.
func (s *Store) Unpin(ctx context.Context, sectionID, entryID string, now time.Time) error {
	n, err := unpinScript.Run(ctx, s.client, s.moderationKeys(sectionID), entryID).Int()
	if err != nil {
		return fmt.Errorf("unpin %s in section %s: %w", entryID, sectionID, err)
	}
	switch n {
	case -1:
		return fmt.Errorf("unpin %s in section %s: %w", entryID, sectionID, ErrNotInSection)
	case 1:
		return s.moderated(ctx, "unpin", sectionID, entryID, now)
	}
	return nil
}

// moderated announces a decision that changed the section and logs it.
func (s *Store) moderated(ctx context.Context, action, sectionID, entryID string, now time.Time) error {
	if err := s.announce(ctx, []string{sectionID}, now); err != nil {
		return fmt.Errorf("%s %s in section %s: %w", action, entryID, sectionID, err)
	}
	s.logger.Info("entry moderated", "action", action, "section_id", sectionID, "entry_id", entryID)
	return nil
}
