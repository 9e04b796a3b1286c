package store

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// ingestRead is everything an ingest reads before it decides anything,
// fetched in one pipelined round trip (plus one more in the rare case an
// entry is relinked to an id outside the batch).
type ingestRead struct {
	// entries are the incoming entries, relinked (see relink).
	entries []model.Entry
	// claims are source link index entries to write with the entries.
	claims []linkClaim
	// stored maps every id read to its stored entry (nil: none stored).
	stored map[string]*model.Entry
	// rules is the stored rules fingerprint ("" when none).
	rules string
}

// readForIngest reads the source link index for the batch's links, the
// stored rules fingerprint and the stored copy of every incoming entry,
// then relinks. A feed's worth of entries is one round trip; a larger
// batch is split (see batchSize).
func (s *Store) readForIngest(ctx context.Context, sourceID string, entries []model.Entry) (ingestRead, error) {
	r := ingestRead{stored: make(map[string]*model.Entry, len(entries))}
	fields := batchLinkFields(entries)
	ask := slices.DeleteFunc(slices.Clone(fields), func(f string) bool { return f == "" })
	b := s.newBatch()
	rules := b.pipe.Get(ctx, s.keys.SourceRules(sourceID))
	var links []*redis.SliceCmd
	for _, part := range chunks(ask) {
		links = append(links, b.pipe.HMGet(ctx, s.keys.SourceLinks(sourceID), part...))
		if err := b.queued(ctx, 0); err != nil {
			return r, fmt.Errorf("read source %s for ingest: %w", sourceID, err)
		}
	}
	gets := make([]*redis.StringCmd, len(entries))
	for i, e := range entries {
		gets[i] = b.pipe.Get(ctx, s.keys.Entry(e.ID))
		// The stored copy is about as large as the incoming one: count
		// it, so a batch of large entries is not one huge reply.
		if err := b.queued(ctx, len(e.Content)); err != nil {
			return r, fmt.Errorf("read source %s for ingest: %w", sourceID, err)
		}
	}
	if err := b.send(ctx); err != nil {
		return r, fmt.Errorf("read source %s for ingest: %w", sourceID, err)
	}
	var err error
	if r.rules, err = rules.Result(); err != nil && !errors.Is(err, redis.Nil) {
		return r, fmt.Errorf("read source %s rules: %w", sourceID, err)
	}
	for i, cmd := range gets {
		if r.stored[entries[i].ID], err = s.decodeGet(cmd, entries[i].ID); err != nil {
			return r, err
		}
	}
	known, err := linkValues(ask, links)
	if err != nil {
		return r, fmt.Errorf("read source %s links: %w", sourceID, err)
	}
	r.entries, r.claims = relink(entries, fields, known)
	return r, s.readRelinked(ctx, &r)
}

// readRelinked loads the stored entries of ids relink moved entries to.
func (s *Store) readRelinked(ctx context.Context, r *ingestRead) error {
	var missing []string
	for _, e := range r.entries {
		if _, ok := r.stored[e.ID]; !ok && !slices.Contains(missing, e.ID) {
			missing = append(missing, e.ID)
		}
	}
	loaded, err := s.loadEntries(ctx, missing)
	if err != nil {
		return err
	}
	for i, id := range missing {
		r.stored[id] = loaded[i]
	}
	return nil
}

// linkValues maps the asked link fields to the entry ids stored for them;
// cmds are the HMGETs of ask in order, in chunks.
func linkValues(ask []string, cmds []*redis.SliceCmd) (map[string]string, error) {
	known := make(map[string]string, len(ask))
	var vals []any
	for _, cmd := range cmds {
		part, err := cmd.Result()
		if err != nil {
			return nil, err
		}
		vals = append(vals, part...)
	}
	for i, v := range vals {
		if id, ok := v.(string); ok && i < len(ask) {
			known[ask[i]] = id
		}
	}
	return known, nil
}

// decodeGet returns the entry a pipelined GET read: nil when absent or
// undecodable (a damaged entry must not block its source or section: it is
// treated as absent, so the next ingest rewrites it).
func (s *Store) decodeGet(cmd *redis.StringCmd, id string) (*model.Entry, error) {
	data, err := cmd.Bytes()
	if errors.Is(err, redis.Nil) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load entry %s: %w", id, err)
	}
	e, err := decodeEntry(data)
	if err != nil {
		s.logger.Warn("skipping undecodable entry", "entry_id", id, "error", err)
		return nil, nil
	}
	return &e, nil
}
