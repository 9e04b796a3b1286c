package store

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// storedRules returns the stored fingerprint, "" when none.
func (s *Store) storedRules(ctx context.Context, sourceID string) (string, error) {
	got, err := s.client.Get(ctx, s.keys.SourceRules(sourceID)).Result()
	if err != nil && !errors.Is(err, redis.Nil) {
		return "", fmt.Errorf("read source %s rules: %w", sourceID, err)
	}
	return got, nil
}

func (s *Store) saveRules(ctx context.Context, sourceID, fp string) error {
	if err := s.client.Set(ctx, s.keys.SourceRules(sourceID), fp, 0).Err(); err != nil {
		return fmt.Errorf("save source %s rules: %w", sourceID, err)
	}
	return nil
}

// heldItems loads the entries of the source index that are not in the
// batch, as unchanged items, so new rules are applied to every entry the
// source still has and not only to those in its current feed: a loosened
// filter brings stored entries back, a tightened one takes them out.
func (s *Store) heldItems(ctx context.Context, sourceID string, batch []ingestItem) ([]ingestItem, error) {
	ids, err := s.client.ZRange(ctx, s.keys.SourceEntries(sourceID), 0, -1).Result()
	if err != nil {
		return nil, fmt.Errorf("read source %s index: %w", sourceID, err)
	}
	inBatch := make(map[string]bool, len(batch))
	for _, it := range batch {
		inBatch[it.entry.ID] = true
	}
	var rest []string
	for _, id := range ids {
		if !inBatch[id] {
			rest = append(rest, id)
		}
	}
	loaded, err := s.loadEntries(ctx, rest)
	if err != nil {
		return nil, err
	}
	var out []ingestItem
	for _, e := range loaded {
		if e != nil {
			out = append(out, ingestItem{entry: *e, change: changeUnchanged})
		}
	}
	return out, nil
}

// Refresh applies rules to a source whose feed brought nothing to ingest
// (304 or an unchanged body): when the rules changed since its entries were
// last indexed (rules.Fingerprint), every entry of the source index is
// re-evaluated against the sections, and sections with a max_age drop what
// became too old. Changed sections get a version bump and an event.
// Entries are never deleted here.
func (s *Store) Refresh(ctx context.Context, rules Policy, now time.Time) ([]string, error) {
	src, fp := rules.Source, rules.Fingerprint
	stored, err := s.storedRules(ctx, src.ID)
	if err != nil {
		return nil, err
	}
	changed := stored != fp
	var items []ingestItem
	if changed {
		if items, err = s.heldItems(ctx, src.ID, nil); err != nil {
			return nil, fmt.Errorf("refresh source %s: %w", src.ID, err)
		}
	}
	secs, _, err := s.indexSections(ctx, rules, items, now)
	if err != nil {
		return secs, fmt.Errorf("refresh source %s: %w", src.ID, err)
	}
	if err := s.announce(ctx, secs, now); err != nil {
		return secs, fmt.Errorf("refresh source %s: %w", src.ID, err)
	}
	if changed {
		return secs, s.saveRules(ctx, src.ID, fp)
	}
	return secs, nil
}
