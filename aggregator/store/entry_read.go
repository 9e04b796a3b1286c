package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// SectionEntry returns the entry entryID as the section shows it: one its
// index holds. An entry the section does not show (unknown, hidden or
// held there, trimmed, another section's) is model.ErrNoEntry, so an
// article page never shows what the section page leaves out. The
// membership check and the entry ride in one round trip; the two keys
// are in different Cluster slots, which a pipeline allows.
func (s *Store) SectionEntry(ctx context.Context, sectionID, entryID string) (model.Entry, error) {
	pipe := s.client.Pipeline()
	member := pipe.ZScore(ctx, s.keys.SectionEntries(sectionID), entryID)
	get := pipe.Get(ctx, s.keys.Entry(entryID))
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return model.Entry{}, fmt.Errorf("read entry %s of section %s: %w", entryID, sectionID, err)
	}
	if err := member.Err(); errors.Is(err, redis.Nil) {
		return model.Entry{}, fmt.Errorf("read entry %s of section %s: %w", entryID, sectionID, model.ErrNoEntry)
	} else if err != nil {
		return model.Entry{}, fmt.Errorf("read entry %s of section %s: %w", entryID, sectionID, err)
	}
	e, err := s.decodeGet(get, entryID)
	if err != nil {
		return model.Entry{}, fmt.Errorf("read entry %s of section %s: %w", entryID, sectionID, err)
	}
	if e == nil {
		// Indexed but not (or no longer, or not decodably) stored: a
		// reader skips such a member, as pages do.
		return model.Entry{}, fmt.Errorf("read entry %s of section %s: %w", entryID, sectionID, model.ErrNoEntry)
	}
	return *e, nil
}
