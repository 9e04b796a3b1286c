package store

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Values of a SectionSources field.
const (
	sectionMember = "member"
	sectionKept   = "kept"
	// sectionLeft marks a source whose entries left the section, as
	// "left <unix ms>". Later reconciles (this instance's re-checks,
	// another instance's reload, a restart) purge it again, for a poll
	// that began under the old config may have put its entries back
	// meanwhile; a pass that finds none forgets a mark older than
	// LeftMemory.
	sectionLeft = "left"
)

// LeftMemory is how long a section remembers a source that left it
// before a reconcile that finds none of its entries may forget it: longer
// than any poll that began under the old config can take.
const LeftMemory = 10 * time.Minute

// leftAt parses a "left <unix ms>" mark; ok is false for other values.
func leftAt(v string) (time.Time, bool) {
	rest, ok := strings.CutPrefix(v, sectionLeft)
	if !ok {
		return time.Time{}, false
	}
	ms, err := strconv.ParseInt(strings.TrimSpace(rest), 10, 64)
	if err != nil {
		return time.Time{}, true // a bare mark: as old as can be
	}
	return time.UnixMilli(ms), true
}

// leaveScanBatch is how many members of a section index one step of a
// leave reads with their entries: the index is bounded by the section's
// max_items, and the batch bounds the memory of each step.
const leaveScanBatch = 256

// KeepInSection records that sourceID leaves the section with its entries
// kept there: ReconcileSection then leaves them in place. Call it before
// the change that drops the source from the section, so an instance
// applying that change first already finds the choice.
func (s *Store) KeepInSection(ctx context.Context, sectionID, sourceID string) error {
	if err := s.client.HSet(ctx, s.keys.SectionSources(sectionID), sourceID, sectionKept).Err(); err != nil {
		return fmt.Errorf("keep entries of %s in section %s: %w", sourceID, sectionID, err)
	}
	return nil
}

// SectionSources returns the section's record of the sources whose
// entries it may hold (see Keys.SectionSources): source id to "member"
// or "kept". Empty when nothing was recorded yet.
func (s *Store) SectionSources(ctx context.Context, sectionID string) (map[string]string, error) {
	rec, err := s.client.HGetAll(ctx, s.keys.SectionSources(sectionID)).Result()
	if err != nil {
		return nil, fmt.Errorf("read sources of section %s: %w", sectionID, err)
	}
	return rec, nil
}

// ReconcileSection makes sec's index hold only entries of the sources it
// lists (sec.SourceIDs) and of those that left it with their entries
// kept: the entries of every source recorded as a member and no longer
// listed leave the index, and the listed sources are recorded. When no
// record exists yet (a store written by an older version, or a new
// section), the index itself is compared with the list, a bounded scan of
// at most max_items entries. It returns the ids of the sources whose
// entries left. Running it again, on any instance, changes nothing.
func (s *Store) ReconcileSection(ctx context.Context, sec model.Section, now time.Time) ([]string, error) {
	rec, err := s.SectionSources(ctx, sec.ID)
	if err != nil {
		return nil, err
	}
	listed := make(map[string]bool, len(sec.SourceIDs))
	for _, id := range sec.SourceIDs {
		listed[id] = true
	}
	var left []string
	if len(rec) == 0 {
		left, _, err = s.purgeSection(ctx, sec, func(id string) bool { return !listed[id] }, now)
	} else {
		left, err = s.reconcileLeavers(ctx, sec, rec, listed, now)
	}
	if err != nil {
		return nil, err
	}
	return left, s.noteMembers(ctx, sec, rec)
}

// reconcileLeavers purges the sources rec records as members or as left
// that sec no longer lists, and returns those whose entries it found
// (members always count as leaving). Members become "left"; a source
// marked left whose entries were not found is forgotten.
func (s *Store) reconcileLeavers(ctx context.Context, sec model.Section, rec map[string]string, listed map[string]bool, now time.Time) ([]string, error) {
	drop := map[string]bool{}
	for id, v := range rec {
		if _, left := leftAt(v); !listed[id] && (v == sectionMember || left) {
			drop[id] = true
		}
	}
	if len(drop) == 0 {
		return nil, nil
	}
	found, _, err := s.purgeSection(ctx, sec, func(id string) bool { return drop[id] }, now)
	if err != nil {
		return nil, err
	}
	var left, gone, marks []string
	for id := range drop {
		at, wasLeft := leftAt(rec[id])
		switch {
		case !wasLeft:
			left, marks = append(left, id), append(marks, id)
		case slices.Contains(found, id):
			left = append(left, id)
		case now.Sub(at) >= LeftMemory:
			gone = append(gone, id)
		}
	}
	slices.Sort(left)
	if err := s.markLeft(ctx, sec.ID, marks, gone, now); err != nil {
		return left, err
	}
	return left, nil
}

// markLeft records marks as having left the section at now and forgets
// gone.
func (s *Store) markLeft(ctx context.Context, sectionID string, marks, gone []string, now time.Time) error {
	key := s.keys.SectionSources(sectionID)
	pipe := s.client.Pipeline()
	for _, id := range marks {
		pipe.HSet(ctx, key, id, sectionLeft+" "+strconv.FormatInt(now.UnixMilli(), 10))
	}
	if len(gone) > 0 {
		pipe.HDel(ctx, key, gone...)
	}
	if len(marks)+len(gone) == 0 {
		return nil
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("section %s: record sources that left: %w", sectionID, err)
	}
	return nil
}

// noteMembers records sec's listed sources as members where rec does not
// say so already (one write per change, none in the steady state).
func (s *Store) noteMembers(ctx context.Context, sec model.Section, rec map[string]string) error {
	var args []any
	for _, id := range sec.SourceIDs {
		if rec[id] != sectionMember {
			args = append(args, id, sectionMember)
		}
	}
	if len(args) == 0 {
		return nil
	}
	if err := s.client.HSet(ctx, s.keys.SectionSources(sec.ID), args...).Err(); err != nil {
		return fmt.Errorf("record sources of section %s: %w", sec.ID, err)
	}
	return nil
}

// LeaveSection takes every entry of the given sources out of sec's index
// and releases their dedup claims, as if a filter had refused them: a
// copy of the same story from another source that lost to one of them
// takes its place. It also forgets them as runner-ups, bumps the
// section's version and announces it when the index changed, records the
// sources as having left (see sectionLeft) and drops their rules
// fingerprint (so a source that comes back is indexed there again by its
// next poll). It returns how many index members left; calling it again
// changes nothing.
func (s *Store) LeaveSection(ctx context.Context, sec model.Section, sourceIDs []string, now time.Time) (int, error) {
	leaving := make(map[string]bool, len(sourceIDs))
	for _, id := range sourceIDs {
		leaving[id] = true
	}
	_, removed, err := s.purgeSection(ctx, sec, func(id string) bool { return leaving[id] }, now)
	if err != nil {
		return 0, err
	}
	return removed, s.markLeft(ctx, sec.ID, sourceIDs, nil, now)
}

// victim is an index member, or a runner-up noted in the dedup hash, to
// take out.
type victim struct {
	score, id string
}

// purgeSection takes out of sec's index every entry whose source drop
// selects. It returns those sources' ids, sorted, and how many index
// members left.
func (s *Store) purgeSection(ctx context.Context, sec model.Section, drop func(sourceID string) bool, now time.Time) ([]string, int, error) {
	victims, sources, err := s.sectionVictims(ctx, sec.ID, drop)
	if err != nil {
		return nil, 0, fmt.Errorf("section %s: %w", sec.ID, err)
	}
	notes, err := s.noteVictims(ctx, sec.ID, drop)
	if err != nil {
		return nil, 0, fmt.Errorf("section %s: %w", sec.ID, err)
	}
	removed := len(victims)
	victims = append(victims, notes...)
	changed, err := s.removeVictims(ctx, sec, victims, now)
	if err != nil {
		return nil, 0, fmt.Errorf("section %s: %w", sec.ID, err)
	}
	if changed {
		if err := s.announce(ctx, []string{sec.ID}, now); err != nil {
			return nil, 0, err
		}
	}
	if err := s.forgetRules(ctx, sources); err != nil {
		return nil, 0, fmt.Errorf("section %s: %w", sec.ID, err)
	}
	return sources, removed, nil
}

// forgetRules drops the rules fingerprint of sources whose entries left a
// section: it no longer says what their sections hold, and a source that
// comes back to the section must have its stored entries indexed there
// again on its next poll, even if its feed has not changed.
func (s *Store) forgetRules(ctx context.Context, sourceIDs []string) error {
	for _, id := range sourceIDs {
		if err := s.client.Del(ctx, s.keys.SourceRules(id)).Err(); err != nil {
			return fmt.Errorf("forget rules of source %s: %w", id, err)
		}
	}
	return nil
}

// sectionVictims walks the section index in batches, loading each
// batch's entries to learn their sources (the index holds only ids), and
// returns the members whose source drop selects, with those sources.
// Members whose entry is missing are left alone: an ingest or a trim is
// in flight, and they are not shown anyway.
func (s *Store) sectionVictims(ctx context.Context, sectionID string, drop func(string) bool) ([]victim, []string, error) {
	// One read of the whole index (it is trimmed to the section's
	// max_items): paging it by rank would skip members when a merge
	// running meanwhile shifts the ranks.
	all, err := s.client.ZRangeWithScores(ctx, s.keys.SectionEntries(sectionID), 0, -1).Result()
	if err != nil {
		return nil, nil, fmt.Errorf("read index: %w", err)
	}
	var out []victim
	seen := map[string]bool{}
	for batch := range slices.Chunk(all, leaveScanBatch) {
		ids := make([]string, len(batch))
		for i, z := range batch {
			ids[i] = z.Member.(string)
		}
		loaded, err := s.loadEntries(ctx, ids)
		if err != nil {
			return nil, nil, err
		}
		for i, e := range loaded {
			if e != nil && drop(e.SourceID) {
				out = append(out, victim{score: strconv.FormatInt(int64(batch[i].Score), 10), id: ids[i]})
				seen[e.SourceID] = true
			}
		}
	}
	var sources []string
	for id := range seen {
		sources = append(sources, id)
	}
	slices.Sort(sources)
	return out, sources, nil
}

// noteVictims returns the runner-ups noted in the section's dedup hash
// ("x<kind>:<key>" = "<score> <source> <entry>") whose source drop
// selects: a departed source's copy must not be promoted into the
// section when the story's holder leaves it later.
func (s *Store) noteVictims(ctx context.Context, sectionID string, drop func(string) bool) ([]victim, error) {
	var out []victim
	iter := s.client.HScan(ctx, s.keys.SectionDedup(sectionID), 0, "x?:*", leaveScanBatch).Iterator()
	for i := 0; iter.Next(ctx); i++ {
		if i%2 == 0 {
			continue // the field; its value follows
		}
		f := strings.Fields(iter.Val())
		if len(f) == 3 && drop(f[1]) {
			out = append(out, victim{score: f[0], id: f[2]})
		}
	}
	if err := iter.Err(); err != nil {
		return nil, fmt.Errorf("read dedup notes: %w", err)
	}
	return out, nil
}

// removeVictims runs sectionIndexScript with every victim flagged as
// refused ("r"), in parts of batchSize, which removes members, releases
// their claims, promotes runner-ups of other sources and drops notes. It
// reports whether the index changed.
func (s *Store) removeVictims(ctx context.Context, sec model.Section, victims []victim, now time.Time) (bool, error) {
	minScore := ""
	if ms, ok := sec.MinScore(now); ok {
		minScore = strconv.FormatInt(ms, 10)
	}
	changed := false
	for part := range slices.Chunk(victims, batchSize) {
		args := make([]any, 0, 5+5*len(part))
		args = append(args, sec.Keep(), minScore, sec.TitleWindow(), "", len(part))
		for _, v := range part {
			args = append(args, v.score, v.id, "r", "", "")
		}
		args = append(args, reviewArgs(sec, now)...)
		c, _, err := mergeResult(s.section.Run(ctx, s.client, s.sectionKeys(sec.ID), args...))
		if err != nil {
			return changed, fmt.Errorf("remove entries: %w", err)
		}
		changed = changed || c
	}
	return changed, nil
}
