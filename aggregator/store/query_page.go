package store

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// sourceScanBatch bounds one read of a source index while filtering it by
// section membership; a source index is trimmed, so the scan is bounded.
const sourceScanBatch = 256

// SectionPage returns up to q.Limit entries of a section older than
// q.Before, newest first, and the cursor of the next page. Index members
// whose entry is missing are skipped (an ingest or trim in flight), so a
// page may be short while Next is set. A q.Before that is not a member of
// the section's index at its score fails with model.ErrUnknownCursor; the
// check rides in the same round trip as the page's range read.
func (s *Store) SectionPage(ctx context.Context, sectionID string, q model.PageQuery) (model.Page, error) {
	if q.Limit < 1 {
		return model.Page{}, fmt.Errorf("read section %s page: limit %d is not positive", sectionID, q.Limit)
	}
	var (
		members []redis.Z
		err     error
	)
	if q.SourceID == "" {
		key := s.keys.SectionEntries(sectionID)
		members, err = s.rangeBefore(ctx, key, q.Before, q.Limit+1, key)
	} else {
		members, err = s.sourceInSection(ctx, sectionID, q.SourceID, q.Before, q.Limit+1)
	}
	if err != nil {
		return model.Page{}, fmt.Errorf("read section %s page: %w", sectionID, err)
	}
	var page model.Page
	if len(members) > q.Limit {
		members = members[:q.Limit]
		last := members[len(members)-1]
		page.Next = &model.Cursor{Score: int64(last.Score), ID: last.Member.(string)}
	}
	ids := make([]string, len(members))
	for i, m := range members {
		ids[i] = m.Member.(string)
	}
	loaded, err := s.loadEntries(ctx, ids)
	if err != nil {
		return model.Page{}, fmt.Errorf("read section %s page: %w", sectionID, err)
	}
	page.Entries = make([]model.Entry, 0, len(loaded))
	for _, e := range loaded {
		if e != nil {
			page.Entries = append(page.Entries, *e)
		}
	}
	return page, nil
}

// rangeBefore reads up to n members of a sorted set strictly after before
// in (score, id) descending order, in one round trip: the members that
// share the cursor's score and sort below its id, then those with a lower
// score (an exclusive ZREVRANGEBYSCORE max). When checkIn is set, the same
// round trip asks that set for before's score, and a cursor it does not
// hold at that score is model.ErrUnknownCursor.
func (s *Store) rangeBefore(ctx context.Context, key string, before *model.Cursor, n int, checkIn string) ([]redis.Z, error) {
	if before == nil {
		return s.client.ZRevRangeWithScores(ctx, key, 0, int64(n)-1).Result()
	}
	score := strconv.FormatInt(before.Score, 10)
	pipe := s.client.Pipeline()
	var member *redis.FloatCmd
	if checkIn != "" {
		member = pipe.ZScore(ctx, checkIn, before.ID)
	}
	same := pipe.ZRevRangeByScoreWithScores(ctx, key, &redis.ZRangeBy{Max: score, Min: score})
	lower := pipe.ZRevRangeByScoreWithScores(ctx, key, &redis.ZRangeBy{Max: "(" + score, Min: "-inf", Count: int64(n)})
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	if member != nil {
		if err := cursorAt(member, before); err != nil {
			return nil, err
		}
	}
	if err := same.Err(); err != nil {
		return nil, err
	}
	if err := lower.Err(); err != nil {
		return nil, err
	}
	out := make([]redis.Z, 0, n)
	for _, z := range same.Val() {
		if z.Member.(string) < before.ID {
			out = append(out, z)
		}
	}
	out = append(out, lower.Val()...)
	return out[:min(n, len(out))], nil
}

// sourceInSection walks the source's index (all its entries, whatever
// section) and keeps the members the section's index holds, with the
// section's scores, until n are found or the source index ends. Section
// filters and trimming make the two indexes differ, so membership must be
// checked rather than assumed.
func (s *Store) sourceInSection(ctx context.Context, sectionID, sourceID string, before *model.Cursor, n int) ([]redis.Z, error) {
	srcKey, secKey := s.keys.SourceEntries(sourceID), s.keys.SectionEntries(sectionID)
	out := make([]redis.Z, 0, n)
	// The client's cursor is checked against the section with the first
	// batch; later batches start from members just read.
	checkIn := secKey
	for len(out) < n {
		batch, err := s.rangeBefore(ctx, srcKey, before, sourceScanBatch, checkIn)
		if err != nil {
			return nil, err
		}
		checkIn = ""
		kept, err := s.inIndex(ctx, secKey, batch)
		if err != nil {
			return nil, err
		}
		out = append(out, kept...)
		if len(batch) < sourceScanBatch {
			break
		}
		last := batch[len(batch)-1]
		before = &model.Cursor{Score: int64(last.Score), ID: last.Member.(string)}
	}
	return out[:min(n, len(out))], nil
}

// inIndex returns the members of batch present in the sorted set key,
// scored as key scores them. ZSCORE per member in one pipeline, because
// ZMSCORE reports a missing member as a score of 0.
func (s *Store) inIndex(ctx context.Context, key string, batch []redis.Z) ([]redis.Z, error) {
	if len(batch) == 0 {
		return nil, nil
	}
	pipe := s.client.Pipeline()
	cmds := make([]*redis.FloatCmd, len(batch))
	for i, z := range batch {
		cmds[i] = pipe.ZScore(ctx, key, z.Member.(string))
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	var out []redis.Z
	for i, cmd := range cmds {
		sc, err := cmd.Result()
		if errors.Is(err, redis.Nil) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, redis.Z{Score: sc, Member: batch[i].Member})
	}
	return out, nil
}

// cursorAt checks the answer of ZSCORE for the cursor's id: the member
// must be in the set with exactly the cursor's score (scores are unix
// milliseconds, exact in a float64).
func cursorAt(cmd *redis.FloatCmd, c *model.Cursor) error {
	sc, err := cmd.Result()
	if errors.Is(err, redis.Nil) || err == nil && sc != float64(c.Score) {
		return model.ErrUnknownCursor
	}
	return err
}
