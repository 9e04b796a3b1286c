package store

import (
	"context"
	"fmt"
	"slices"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// linkClaim is a source link index entry to write once its entry is stored.
type linkClaim struct {
	field, id string
}

// batchLinkFields returns each entry's link field in the source link index:
// its dedup link key, "" for entries without a canonical link and for
// links two entries of the batch share (see normalize.DedupKeys).
func batchLinkFields(entries []model.Entry) []string {
	return normalize.LinkKeys(entries)
}

// relink gives an incoming entry the id of the stored entry of the same
// source with the same canonical link (known maps link fields to stored
// ids), so a feed that changes an item's guid (many CMSs derive it from the
// title) updates the entry in place instead of adding a duplicate. It
// returns the entries, copied, and the link index entries that are missing.
func relink(entries []model.Entry, fields []string, known map[string]string) ([]model.Entry, []linkClaim) {
	inBatch := make(map[string]bool, len(entries))
	for _, e := range entries {
		inBatch[e.ID] = true
	}
	out := slices.Clone(entries)
	var claims []linkClaim
	for i, f := range fields {
		switch id, ok := known[f]; {
		case f == "":
		case !ok:
			claims = append(claims, linkClaim{field: f, id: out[i].ID})
		case id != out[i].ID && !inBatch[id]:
			// The stored entry's own item is not in the feed any more:
			// this item is its new guise. (When it is, the link moved
			// from one item to another and both stay.)
			out[i].ID = id
		}
	}
	return out, claims
}

// forgetLinks removes the link index entries of entries leaving the
// source index, when they still point at them.
func (s *Store) forgetLinks(ctx context.Context, sourceID string, ids []string) error {
	gone, err := s.loadEntries(ctx, ids)
	if err != nil {
		return err
	}
	var fields []string
	owner := map[string]string{}
	for _, e := range gone {
		if f := normalize.LinkKey(entryLink(e)); f != "" {
			fields = append(fields, f)
			owner[f] = e.ID
		}
	}
	if len(fields) == 0 {
		return nil
	}
	key := s.keys.SourceLinks(sourceID)
	b := s.newBatch()
	var gets []*redis.SliceCmd
	for _, part := range chunks(fields) {
		gets = append(gets, b.pipe.HMGet(ctx, key, part...))
		if err := b.queued(ctx, 0); err != nil {
			return fmt.Errorf("read source %s links: %w", sourceID, err)
		}
	}
	if err := b.send(ctx); err != nil {
		return fmt.Errorf("read source %s links: %w", sourceID, err)
	}
	known, err := linkValues(fields, gets)
	if err != nil {
		return fmt.Errorf("read source %s links: %w", sourceID, err)
	}
	var del []string
	for _, f := range fields {
		if id, ok := known[f]; ok && id == owner[f] {
			del = append(del, f)
		}
	}
	for _, part := range chunks(del) {
		b.pipe.HDel(ctx, key, part...)
		if err := b.queued(ctx, 0); err != nil {
			return fmt.Errorf("trim source %s links: %w", sourceID, err)
		}
	}
	if err := b.send(ctx); err != nil {
		return fmt.Errorf("trim source %s links: %w", sourceID, err)
	}
	return nil
}

func entryLink(e *model.Entry) string {
	if e == nil {
		return ""
	}
	return e.CanonicalLink
}
