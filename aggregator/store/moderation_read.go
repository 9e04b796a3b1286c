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

// SectionPins returns the pinned entries of a section that are in its
// index, most recently pinned first. Expired pins not yet dropped are
// included with their Until: the server decides by its clock, so a pin
// ends on time without a write. Publish reads it on a render miss only.
func (s *Store) SectionPins(ctx context.Context, sectionID string) ([]model.ModeratedEntry, error) {
	live, _, err := s.pins(ctx, sectionID)
	if err != nil {
		return nil, fmt.Errorf("read pins of section %s: %w", sectionID, err)
	}
	return live, nil
}

// Moderation returns a section's hidden entries (most recently hidden
// first) and its pins in force at now (in page order). Marks whose entry
// was deleted, pins whose entry left the index and expired pins are
// dropped from the store on the way, which bounds both.
func (s *Store) Moderation(ctx context.Context, sectionID string, now time.Time) (model.SectionModeration, error) {
	hidden, gone, err := s.hidden(ctx, sectionID)
	if err != nil {
		return model.SectionModeration{}, fmt.Errorf("read moderation of section %s: %w", sectionID, err)
	}
	if err := s.dropFields(ctx, s.keys.SectionHidden(sectionID), gone); err != nil {
		return model.SectionModeration{}, fmt.Errorf("read moderation of section %s: %w", sectionID, err)
	}
	pins, stale, err := s.pins(ctx, sectionID)
	if err != nil {
		return model.SectionModeration{}, fmt.Errorf("read moderation of section %s: %w", sectionID, err)
	}
	out := model.SectionModeration{Hidden: hidden, Pinned: []model.ModeratedEntry{}}
	for _, p := range pins {
		if PinInForce(p, now) {
			out.Pinned = append(out.Pinned, p)
		} else {
			stale = append(stale, p.Entry.ID)
		}
	}
	if err := s.dropFields(ctx, s.keys.SectionPins(sectionID), stale); err != nil {
		return model.SectionModeration{}, fmt.Errorf("read moderation of section %s: %w", sectionID, err)
	}
	return out, nil
}

// PinInForce reports whether p holds at now: it has no expiry or expires
// after now.
func PinInForce(p model.ModeratedEntry, now time.Time) bool {
	return p.Until.IsZero() || now.Before(p.Until)
}

// pins reads the pins hash and, in one more round trip, each pinned
// entry and its membership in the index. It returns the pins whose entry
// is in the index, most recently pinned first, and the ids of the others.
func (s *Store) pins(ctx context.Context, sectionID string) (live []model.ModeratedEntry, gone []string, err error) {
	fields, err := s.client.HGetAll(ctx, s.keys.SectionPins(sectionID)).Result()
	if err != nil || len(fields) == 0 {
		return nil, nil, err
	}
	ids := sortedFields(fields)
	pipe := s.client.Pipeline()
	scores := make([]*redis.FloatCmd, len(ids))
	gets := make([]*redis.StringCmd, len(ids))
	for i, id := range ids {
		scores[i] = pipe.ZScore(ctx, s.keys.SectionEntries(sectionID), id)
		gets[i] = pipe.Get(ctx, s.keys.Entry(id))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, nil, err
	}
	for i, id := range ids {
		at, until, ok := parseMark(fields[id])
		if err := scores[i].Err(); errors.Is(err, redis.Nil) || !ok {
			gone = append(gone, id)
			continue
		} else if err != nil {
			return nil, nil, err
		}
		e, err := s.decodeGet(gets[i], id)
		if err != nil {
			return nil, nil, err
		}
		if e == nil {
			gone = append(gone, id)
			continue
		}
		live = append(live, model.ModeratedEntry{Entry: *e, At: at, Until: until})
	}
	sortByAt(live)
	return live, gone, nil
}

// hidden reads the hidden marks and their entries: the marked entries
// that still exist, most recently hidden first, and the ids of those that
// do not.
func (s *Store) hidden(ctx context.Context, sectionID string) (out []model.ModeratedEntry, gone []string, err error) {
	fields, err := s.client.HGetAll(ctx, s.keys.SectionHidden(sectionID)).Result()
	if err != nil {
		return nil, nil, err
	}
	ids := sortedFields(fields)
	loaded, err := s.loadEntries(ctx, ids)
	if err != nil {
		return nil, nil, err
	}
	out = []model.ModeratedEntry{}
	for i, e := range loaded {
		at, _, ok := parseMark(fields[ids[i]])
		if e == nil || !ok {
			gone = append(gone, ids[i])
			continue
		}
		out = append(out, model.ModeratedEntry{Entry: *e, At: at})
	}
	sortByAt(out)
	return out, gone, nil
}

// pruneHidden drops the hidden marks of a section whose entry no longer
// exists: such an entry left its source's feed and index, so no merge can
// bring it back.
func (s *Store) pruneHidden(ctx context.Context, sectionID string) error {
	_, gone, err := s.hidden(ctx, sectionID)
	if err != nil {
		return fmt.Errorf("prune hidden marks: %w", err)
	}
	return s.dropFields(ctx, s.keys.SectionHidden(sectionID), gone)
}

// dropFields HDELs fields of key in batches.
func (s *Store) dropFields(ctx context.Context, key string, fields []string) error {
	for _, part := range chunks(fields) {
		if err := s.client.HDel(ctx, key, part...).Err(); err != nil {
			return fmt.Errorf("drop %d fields of %s: %w", len(part), key, err)
		}
	}
	return nil
}

// parseMark reads a hidden or pin value: "<at ms> <ms>" (the score for a
// hidden mark, the expiry or 0 for a pin). until is zero for 0.
func parseMark(v string) (at, until time.Time, ok bool) {
	a, b, found := strings.Cut(v, " ")
	atMS, err1 := strconv.ParseInt(a, 10, 64)
	bMS, err2 := strconv.ParseFloat(b, 64)
	if !found || err1 != nil || err2 != nil {
		return time.Time{}, time.Time{}, false
	}
	at = time.UnixMilli(atMS).UTC()
	if bMS > 0 {
		until = time.UnixMilli(int64(bMS)).UTC()
	}
	return at, until, true
}

func sortedFields(fields map[string]string) []string {
	ids := make([]string, 0, len(fields))
	for id := range fields {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// sortByAt orders marks newest first, ties by entry id.
func sortByAt(ms []model.ModeratedEntry) {
	slices.SortStableFunc(ms, func(a, b model.ModeratedEntry) int {
		if c := b.At.Compare(a.At); c != 0 {
			return c
		}
		return cmp.Compare(a.Entry.ID, b.Entry.ID)
	})
}
