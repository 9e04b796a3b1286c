package store

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// SectionEntries returns up to limit entries of a section, newest first
// (all of them when limit <= 0). Index members whose entry is missing are
// skipped, so fewer than limit may come back while an ingest or trim is in
// flight.
func (s *Store) SectionEntries(ctx context.Context, sectionID string, limit int) ([]model.Entry, error) {
	entries, err := s.newest(ctx, s.keys.SectionEntries(sectionID), limit)
	if err != nil {
		return nil, fmt.Errorf("read section %s: %w", sectionID, err)
	}
	return entries, nil
}

// SourceEntries returns up to limit entries of a source, newest first (all
// of them when limit <= 0), skipping index members whose entry is missing.
func (s *Store) SourceEntries(ctx context.Context, sourceID string, limit int) ([]model.Entry, error) {
	entries, err := s.newest(ctx, s.keys.SourceEntries(sourceID), limit)
	if err != nil {
		return nil, fmt.Errorf("read source %s: %w", sourceID, err)
	}
	return entries, nil
}

func (s *Store) newest(ctx context.Context, indexKey string, limit int) ([]model.Entry, error) {
	stop := int64(limit) - 1
	if limit <= 0 {
		stop = -1
	}
	ids, err := s.client.ZRevRange(ctx, indexKey, 0, stop).Result()
	if err != nil {
		return nil, err
	}
	loaded, err := s.loadEntries(ctx, ids)
	if err != nil {
		return nil, err
	}
	out := make([]model.Entry, 0, len(loaded))
	for _, e := range loaded {
		if e != nil {
			out = append(out, *e)
		}
	}
	return out, nil
}

// SectionMeta returns a section's version and last change time, or the
// zero value when the section never changed.
func (s *Store) SectionMeta(ctx context.Context, sectionID string) (model.SectionMeta, error) {
	fields, err := s.client.HGetAll(ctx, s.keys.SectionMeta(sectionID)).Result()
	if err != nil {
		return model.SectionMeta{}, fmt.Errorf("read section %s meta: %w", sectionID, err)
	}
	meta, err := parseMeta(fields)
	if err != nil {
		return model.SectionMeta{}, fmt.Errorf("read section %s meta: %w", sectionID, err)
	}
	return meta, nil
}

func parseMeta(fields map[string]string) (model.SectionMeta, error) {
	var (
		meta model.SectionMeta
		err  error
	)
	if v := fields["version"]; v != "" {
		if meta.Version, err = strconv.ParseInt(v, 10, 64); err != nil {
			return model.SectionMeta{}, fmt.Errorf("version %q: %w", v, err)
		}
	}
	if v := fields["updated_at"]; v != "" {
		if meta.UpdatedAt, err = time.Parse(time.RFC3339Nano, v); err != nil {
			return model.SectionMeta{}, fmt.Errorf("updated_at %q: %w", v, err)
		}
	}
	return meta, nil
}
