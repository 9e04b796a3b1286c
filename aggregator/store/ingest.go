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

const (
	// MinSourceEntries is the least number of newest entries a source index
	// keeps, so an entry that drops out of a short feed is not forgotten
	// (and re-announced as new) when the feed shows it again.
	MinSourceEntries = 50
)

// IngestResult counts what one Ingest did.
type IngestResult struct {
	// New, Updated and Unchanged count the distinct incoming entries.
	New, Updated, Unchanged int
	// ChangedSections lists the sections whose content changed, in the
	// order given to Ingest; each got a version bump and an event.
	ChangedSections []string
	// Held lists, per section with review, the entries its queue took in
	// this ingest (each entry once across instances: the merge script
	// decides it), in the order given to Ingest.
	Held []model.ReviewHeld
}

// ingestItem is one incoming entry after reconciling it with its stored copy.
type ingestItem struct {
	entry  model.Entry
	data   []byte
	change change
}

// Ingest is IngestRules with a policy that admits every entry into
// sections, recorded under the fingerprint UnfilteredFingerprint.
func (s *Store) Ingest(ctx context.Context, src model.Source, sections []model.Section, entries []model.Entry, now time.Time) (IngestResult, error) {
	return s.IngestRules(ctx, Policy{Source: src, Sections: sections, Fingerprint: UnfilteredFingerprint}, entries, now)
}

// UnfilteredFingerprint is the fingerprint Ingest records: no rules'
// fingerprint equals it, so a poll under real rules re-evaluates what an
// unfiltered ingest stored.
const UnfilteredFingerprint = "unfiltered"

// IngestRules stores a source's freshly normalized entries into the store
// and into each of the rules' sections (the sections this source feeds)
// that the rules admit them to, one story once per section (see
// sectionIndexScript); MaxItems and MaxAge bound the section sets. An
// entry whose canonical link matches a stored entry of the same source
// takes that entry's id (relink). Entries whose id repeats in the batch are
// taken once, first occurrence wins. Ingesting the same entries twice writes
// nothing the second time. When the rules changed (rules.Fingerprint), the
// source's other stored entries are re-evaluated too. On error the result
// counts what was decided before the failure; a retry converges because
// every step is idempotent.
func (s *Store) IngestRules(ctx context.Context, rules Policy, entries []model.Entry, now time.Time) (IngestResult, error) {
	res, err := s.ingest(ctx, rules, entries, now)
	if err != nil {
		return res, fmt.Errorf("ingest source %s: %w", rules.Source.ID, err)
	}
	return res, nil
}

func (s *Store) ingest(ctx context.Context, rules Policy, entries []model.Entry, now time.Time) (IngestResult, error) {
	var res IngestResult
	src, sections := rules.Source, rules.Sections
	entries, err := uniqueEntries(entries)
	if err != nil {
		return res, err
	}
	read, err := s.readForIngest(ctx, src.ID, entries)
	if err != nil {
		return res, err
	}
	// Relinking can give two entries one id: the first keeps it.
	if entries, err = uniqueEntries(read.entries); err != nil {
		return res, err
	}
	items, err := reconcileAll(entries, read.stored, now)
	if err != nil {
		return res, err
	}
	res = countChanges(items)
	if err := s.writeEntries(ctx, src.ID, items, read.claims); err != nil {
		return res, err
	}
	if err := s.indexSource(ctx, src.ID, items); err != nil {
		return res, err
	}
	if err := s.recordFreshness(ctx, rules, items, now); err != nil {
		return res, err
	}
	fp := rules.Fingerprint
	all, err := s.withHeld(ctx, src.ID, items, read.rules != fp)
	if err != nil {
		return res, err
	}
	var held map[string][]string
	res.ChangedSections, held, err = s.indexSections(ctx, rules, all, now)
	if err != nil {
		return res, err
	}
	if res.Held, err = s.heldEntries(ctx, rules.Sections, held, all); err != nil {
		return res, err
	}
	if err := s.announce(ctx, res.ChangedSections, now); err != nil {
		return res, err
	}
	if res.New+res.Updated > 0 {
		if err := s.trimSource(ctx, src, sections, items); err != nil {
			return res, err
		}
	}
	if read.rules != fp {
		return res, s.saveRules(ctx, src.ID, fp)
	}
	return res, nil
}

// withHeld returns the batch plus, when the rules changed, the source's
// other stored entries, so the sections re-evaluate them too.
func (s *Store) withHeld(ctx context.Context, sourceID string, items []ingestItem, rulesChanged bool) ([]ingestItem, error) {
	if !rulesChanged {
		return items, nil
	}
	held, err := s.heldItems(ctx, sourceID, items)
	if err != nil {
		return nil, err
	}
	return append(slices.Clip(items), held...), nil
}

// uniqueEntries drops repeated ids (first wins) and rejects empty ids.
func uniqueEntries(entries []model.Entry) ([]model.Entry, error) {
	seen := make(map[string]bool, len(entries))
	out := make([]model.Entry, 0, len(entries))
	for i, e := range entries {
		if e.ID == "" {
			return nil, fmt.Errorf("entry %d (%q) has no id", i, e.Title)
		}
		if seen[e.ID] {
			continue
		}
		seen[e.ID] = true
		out = append(out, e)
	}
	return out, nil
}

// reconcileAll decides, for each incoming entry, what to keep given the
// stored copies read for the batch.
func reconcileAll(entries []model.Entry, stored map[string]*model.Entry, now time.Time) ([]ingestItem, error) {
	items := make([]ingestItem, len(entries))
	for i, e := range entries {
		kept, data, ch, err := reconcile(stored[e.ID], e, now)
		if err != nil {
			return nil, err
		}
		items[i] = ingestItem{entry: kept, data: data, change: ch}
	}
	return items, nil
}

func countChanges(items []ingestItem) IngestResult {
	var res IngestResult
	for _, it := range items {
		switch it.change {
		case changeNew:
			res.New++
		case changeUpdated:
			res.Updated++
		default:
			res.Unchanged++
		}
	}
	return res
}

// writeEntries SETs new and updated entries, and the source link index
// entries relink found missing (a link pointing at an id not yet written
// only means a later item with that link is taken for new). It completes
// before any index is touched: on Cluster a pipeline is split across nodes
// with no order between them, so the write-before-index rule needs its own
// round trip.
func (s *Store) writeEntries(ctx context.Context, sourceID string, items []ingestItem, claims []linkClaim) error {
	b := s.newBatch()
	for _, it := range items {
		if it.change != changeUnchanged {
			b.pipe.Set(ctx, s.keys.Entry(it.entry.ID), it.data, 0)
			if err := b.queued(ctx, len(it.data)); err != nil {
				return fmt.Errorf("write entries: %w", err)
			}
		}
	}
	for _, part := range chunks(claims) {
		args := make([]any, 0, 2*len(part))
		for _, c := range part {
			args = append(args, c.field, c.id)
		}
		b.pipe.HSet(ctx, s.keys.SourceLinks(sourceID), args...)
		if err := b.queued(ctx, 0); err != nil {
			return fmt.Errorf("write entries: %w", err)
		}
	}
	if err := b.send(ctx); err != nil {
		return fmt.Errorf("write entries: %w", err)
	}
	return nil
}

// indexSource adds new and updated entries to the source index.
func (s *Store) indexSource(ctx context.Context, sourceID string, items []ingestItem) error {
	var members []redis.Z
	for _, it := range items {
		if it.change != changeUnchanged {
			members = append(members, redis.Z{Score: float64(score(it.entry)), Member: it.entry.ID})
		}
	}
	b := s.newBatch()
	for _, part := range chunks(members) {
		b.pipe.ZAdd(ctx, s.keys.SourceEntries(sourceID), part...)
		if err := b.queued(ctx, 0); err != nil {
			return fmt.Errorf("index source %s: %w", sourceID, err)
		}
	}
	if err := b.send(ctx); err != nil {
		return fmt.Errorf("index source %s: %w", sourceID, err)
	}
	return nil
}

// loadEntries GETs the entries with the given ids, one pipelined GET each
// (MGET would fail across Cluster slots). A missing or undecodable entry is
// nil in the result, at the same index as its id.
func (s *Store) loadEntries(ctx context.Context, ids []string) ([]*model.Entry, error) {
	out := make([]*model.Entry, len(ids))
	b := s.newBatch()
	cmds := make([]*redis.StringCmd, len(ids))
	for i, id := range ids {
		cmds[i] = b.pipe.Get(ctx, s.keys.Entry(id))
		if err := b.queued(ctx, 0); err != nil {
			return nil, fmt.Errorf("load entries: %w", err)
		}
	}
	if err := b.send(ctx); err != nil {
		return nil, fmt.Errorf("load entries: %w", err)
	}
	for i, cmd := range cmds {
		e, err := s.decodeGet(cmd, ids[i])
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}

// sourceKeep is how many newest entries a source index keeps: enough for
// every section the source feeds and for the whole current feed.
func sourceKeep(sections []model.Section, batch int) int {
	keep := max(batch, MinSourceEntries)
	for _, sec := range sections {
		keep = max(keep, sec.Keep())
	}
	return keep
}

func formatScore(e model.Entry) string {
	return strconv.FormatInt(score(e), 10)
}

// trimSource drops the oldest members beyond sourceKeep from the source
// index, never one of the current batch, and then deletes those entries no
// section of the source still holds. The index is trimmed first so no
// reader finds an index member pointing at a deleted entry.
func (s *Store) trimSource(ctx context.Context, src model.Source, sections []model.Section, items []ingestItem) error {
	key := s.keys.SourceEntries(src.ID)
	keep := sourceKeep(sections, len(items))
	oldest, err := s.client.ZRange(ctx, key, 0, int64(-keep-1)).Result()
	if err != nil {
		return fmt.Errorf("trim source %s: %w", src.ID, err)
	}
	current := make(map[string]bool, len(items))
	for _, it := range items {
		current[it.entry.ID] = true
	}
	drop := slices.DeleteFunc(oldest, func(id string) bool { return current[id] })
	if len(drop) == 0 {
		return nil
	}
	b := s.newBatch()
	for _, part := range chunks(drop) {
		b.pipe.ZRem(ctx, key, toAny(part)...)
		if err := b.queued(ctx, 0); err != nil {
			return fmt.Errorf("trim source %s: %w", src.ID, err)
		}
	}
	if err := b.send(ctx); err != nil {
		return fmt.Errorf("trim source %s: %w", src.ID, err)
	}
	if err := s.forgetLinks(ctx, src.ID, drop); err != nil {
		return fmt.Errorf("trim source %s: %w", src.ID, err)
	}
	orphans, err := s.unheld(ctx, drop, holderSections(src, sections))
	if err != nil {
		return fmt.Errorf("trim source %s: %w", src.ID, err)
	}
	return s.deleteEntries(ctx, orphans)
}

// holderSections lists every section that may hold the source's entries:
// the ones given to Ingest and the ones the source names.
func holderSections(src model.Source, sections []model.Section) []string {
	ids := slices.Clone(src.SectionIDs)
	for _, sec := range sections {
		ids = append(ids, sec.ID)
	}
	slices.Sort(ids)
	return slices.Compact(ids)
}

// unheld returns the ids that none of the sections holds (ZSCORE each).
func (s *Store) unheld(ctx context.Context, ids, sectionIDs []string) ([]string, error) {
	if len(sectionIDs) == 0 {
		return ids, nil
	}
	b := s.newBatch()
	cmds := make([][]*redis.FloatCmd, len(ids))
	for i, id := range ids {
		for _, sec := range sectionIDs {
			cmds[i] = append(cmds[i], b.pipe.ZScore(ctx, s.keys.SectionEntries(sec), id))
			if err := b.queued(ctx, 0); err != nil {
				return nil, fmt.Errorf("check section membership: %w", err)
			}
		}
	}
	if err := b.send(ctx); err != nil {
		return nil, fmt.Errorf("check section membership: %w", err)
	}
	var out []string
	for i, id := range ids {
		held, err := anyHeld(cmds[i])
		if err != nil {
			return nil, fmt.Errorf("check section membership of %s: %w", id, err)
		}
		if !held {
			out = append(out, id)
		}
	}
	return out, nil
}

func anyHeld(cmds []*redis.FloatCmd) (bool, error) {
	for _, cmd := range cmds {
		err := cmd.Err()
		if err == nil {
			return true, nil
		}
		if !errors.Is(err, redis.Nil) {
			return false, err
		}
	}
	return false, nil
}

// deleteEntries deletes entry keys one DEL each, since a multi-key DEL
// fails across Cluster slots.
func (s *Store) deleteEntries(ctx context.Context, ids []string) error {
	if len(ids) == 0 {
		return nil
	}
	b := s.newBatch()
	for _, id := range ids {
		b.pipe.Del(ctx, s.keys.Entry(id))
		if err := b.queued(ctx, 0); err != nil {
			return fmt.Errorf("delete entries: %w", err)
		}
	}
	if err := b.send(ctx); err != nil {
		return fmt.Errorf("delete entries: %w", err)
	}
	return nil
}

func toAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}
