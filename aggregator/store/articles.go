package store

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// States of an ArticleRecord.
const (
	// ArticlePending: the article of Link is wanted and not yet stored.
	ArticlePending = "pending"
	// ArticleDone: the entry's content is the article of Link.
	ArticleDone = "done"
	// ArticleFailed: fetching the article of Link was given up; the entry
	// keeps what its source gave.
	ArticleFailed = "failed"
)

// ArticleRecord is what the store keeps about the article of one entry of
// a source with content.fetch (Keys.SourceArticles). The records say which
// articles are still wanted, so polls that bring nothing new (304, the
// same body) can still fetch the ones an earlier poll left over.
type ArticleRecord struct {
	Link  string `json:"link"`
	State string `json:"state"`
	// Tries counts failed fetches of Link; Error is the last one's reason.
	Tries int    `json:"tries,omitempty"`
	Error string `json:"error,omitempty"`
	// Published (unix ms) orders pending articles, newest first.
	Published int64 `json:"published"`
}

// ArticleRef names an entry of a poll whose article is wanted.
type ArticleRef struct {
	ID, Link  string
	Published time.Time
}

// PendingArticle is an article to fetch: the record and the entry it is for.
type PendingArticle struct {
	Record ArticleRecord
	Entry  model.Entry
}

// Article is what SaveArticle stores into an entry: its content (sanitized
// HTML), for an entry that has none a summary and an image, and what the
// article says of itself (Meta: see normalize.ApplyArticle).
type Article struct {
	Link, Content, Summary, Image string
	Meta                          *model.ArticleMeta
}

// ArticleCounts is what one pass of article fetching did, for the source
// state (see RecordArticles).
type ArticleCounts struct {
	// OK and Failed add to the source's totals: articles stored, and
	// articles given up.
	OK, Failed int
	// Pending is how many are still wanted after the pass.
	Pending int
	// LastError, when set, replaces the reason of the last failure.
	LastError string
	At        time.Time
}

// QueueArticles records the entries of a poll whose articles are wanted.
// An entry not recorded yet, or recorded for another link, becomes
// pending; one recorded for its link keeps its record (pending with its
// tries, done or failed), so an article is fetched once per link. Records
// of entries the poll no longer lists are dropped once done or failed, so
// the hash holds about one list page. It returns how many are pending, and
// keeps that count in the source state (model.ArticleState.Pending).
func (s *Store) QueueArticles(ctx context.Context, sourceID string, refs []ArticleRef) (int, error) {
	key := s.keys.SourceArticles(sourceID)
	recs, err := s.articleRecords(ctx, sourceID)
	if err != nil {
		return 0, err
	}
	listed := make(map[string]bool, len(refs))
	b := s.newBatch()
	for _, ref := range refs {
		if ref.Link == "" || listed[ref.ID] {
			continue
		}
		listed[ref.ID] = true
		if rec, ok := recs[ref.ID]; ok && rec.Link == ref.Link {
			continue
		}
		rec := ArticleRecord{Link: ref.Link, State: ArticlePending, Published: ref.Published.UnixMilli()}
		recs[ref.ID] = rec
		data, err := json.Marshal(rec)
		if err != nil {
			return 0, fmt.Errorf("queue articles of %s: %w", sourceID, err)
		}
		b.pipe.HSet(ctx, key, ref.ID, data)
		if err := b.queued(ctx, len(data)); err != nil {
			return 0, fmt.Errorf("queue articles of %s: %w", sourceID, err)
		}
	}
	var drop []string
	pending := 0
	for id, rec := range recs {
		switch {
		case rec.State == ArticlePending:
			pending++
		case !listed[id]:
			drop = append(drop, id)
		}
	}
	for _, part := range chunks(drop) {
		b.pipe.HDel(ctx, key, part...)
		if err := b.queued(ctx, 0); err != nil {
			return 0, fmt.Errorf("queue articles of %s: %w", sourceID, err)
		}
	}
	// The count goes into the source state too: a later poll that brings
	// nothing new (304, the same body) reads it there to know that
	// articles are still wanted.
	b.pipe.HSet(ctx, s.keys.SourceState(sourceID), "articles_pending", strconv.Itoa(pending))
	if err := b.send(ctx); err != nil {
		return 0, fmt.Errorf("queue articles of %s: %w", sourceID, err)
	}
	return pending, nil
}

// PendingArticles returns the articles of a source still wanted, newest
// first, each with its entry as stored now. A record whose entry is gone
// or has no link is dropped; one whose entry holds the article already is
// marked done; one whose entry's link changed is pending for the new link.
func (s *Store) PendingArticles(ctx context.Context, sourceID string) ([]PendingArticle, error) {
	recs, err := s.articleRecords(ctx, sourceID)
	if err != nil {
		return nil, err
	}
	var ids []string
	for id, rec := range recs {
		if rec.State == ArticlePending {
			ids = append(ids, id)
		}
	}
	entries, err := s.loadEntries(ctx, ids)
	if err != nil {
		return nil, fmt.Errorf("pending articles of %s: %w", sourceID, err)
	}
	var out []PendingArticle
	var drop []string
	fix := map[string]ArticleRecord{}
	for i, id := range ids {
		rec, e := recs[id], entries[i]
		switch {
		case e == nil || e.Link == "":
			drop = append(drop, id)
		case e.ArticleLink == e.Link:
			rec.Link, rec.State = e.Link, ArticleDone
			fix[id] = rec
		case rec.Link != e.Link:
			rec = ArticleRecord{Link: e.Link, State: ArticlePending, Published: rec.Published}
			fix[id] = rec
			out = append(out, PendingArticle{Record: rec, Entry: *e})
		default:
			out = append(out, PendingArticle{Record: rec, Entry: *e})
		}
	}
	if err := s.fixArticleRecords(ctx, sourceID, fix, drop); err != nil {
		return nil, err
	}
	slices.SortFunc(out, func(a, b PendingArticle) int {
		return cmp.Or(cmp.Compare(b.Record.Published, a.Record.Published), cmp.Compare(a.Entry.ID, b.Entry.ID))
	})
	return out, nil
}

// SetArticleRecord writes the record of one entry's article (a failed
// try, or giving up).
func (s *Store) SetArticleRecord(ctx context.Context, sourceID, entryID string, rec ArticleRecord) error {
	return s.fixArticleRecords(ctx, sourceID, map[string]ArticleRecord{entryID: rec}, nil)
}

// SaveArticle makes a fetched article the content of an entry of src, in
// place under the same id, and marks its record done. What the article
// says of itself completes the entry in the same write (see
// normalize.ApplyArticle): the headline replaces a title the list cut,
// the article's time a list date that gave only that day, its author an
// empty one. An entry whose time moved is re-scored in the source index
// and in the sections holding it, so same-day entries sort by their real
// times. The sections of src that hold the entry get a new version and
// an event, so their renders refresh. It reports false, and changes
// nothing, when the entry is gone or its link is no longer a.Link.
func (s *Store) SaveArticle(ctx context.Context, src model.Source, entryID string, a Article, now time.Time) (bool, error) {
	loaded, err := s.loadEntries(ctx, []string{entryID})
	if err != nil {
		return false, fmt.Errorf("save article of %s: %w", entryID, err)
	}
	e := loaded[0]
	if e == nil || e.Link != a.Link {
		return false, nil
	}
	was := e.Published
	saved := withArticle(*e, a)
	data, err := encodeEntry(saved)
	if err != nil {
		return false, err
	}
	if err := s.client.Set(ctx, s.keys.Entry(entryID), data, 0).Err(); err != nil {
		return false, fmt.Errorf("save article of %s: %w", entryID, err)
	}
	rec := ArticleRecord{Link: a.Link, State: ArticleDone, Published: saved.Published.UnixMilli()}
	if err := s.SetArticleRecord(ctx, src.ID, entryID, rec); err != nil {
		return true, err
	}
	holders, err := s.holders(ctx, entryID, src.SectionIDs)
	if err != nil {
		return true, fmt.Errorf("save article of %s: %w", entryID, err)
	}
	if !saved.Published.Equal(was) {
		if err := s.rescore(ctx, src.ID, saved, holders); err != nil {
			return true, fmt.Errorf("save article of %s: %w", entryID, err)
		}
	}
	return true, s.announce(ctx, holders, now)
}

// withArticle is e with the article a stored into it: its content, a
// summary and an image where e has none, and what it says of itself.
func withArticle(e model.Entry, a Article) model.Entry {
	e.Content, e.ArticleLink = a.Content, a.Link
	if e.Summary == "" {
		e.Summary = a.Summary
	}
	if e.Image == "" {
		e.Image = a.Image
	}
	return normalize.ApplyArticle(e, a.Meta)
}

// rescore moves e to its score in the source index and in the sections
// among holders, where it is a member (ZADD XX: an entry trimmed
// meanwhile stays out). The section sets are keyed by published time
// alone, so the move is the whole of re-sorting them.
func (s *Store) rescore(ctx context.Context, sourceID string, e model.Entry, holders []string) error {
	z := redis.Z{Score: float64(score(e)), Member: e.ID}
	pipe := s.client.Pipeline()
	pipe.ZAddXX(ctx, s.keys.SourceEntries(sourceID), z)
	for _, sec := range holders {
		pipe.ZAddXX(ctx, s.keys.SectionEntries(sec), z)
	}
	_, err := pipe.Exec(ctx)
	return err
}

// RecordArticles adds a pass of article fetching to the source state:
// fields articles_ok and articles_failed (totals), articles_pending,
// article_error (the last failure's reason) and articles_at. It writes
// only these fields, so it never undoes a poll's or an operator's write.
func (s *Store) RecordArticles(ctx context.Context, sourceID string, c ArticleCounts) error {
	key := s.keys.SourceState(sourceID)
	pipe := s.client.Pipeline()
	pipe.HIncrBy(ctx, key, "articles_ok", int64(c.OK))
	pipe.HIncrBy(ctx, key, "articles_failed", int64(c.Failed))
	fields := []any{"articles_pending", strconv.Itoa(c.Pending), "articles_at", formatTime(c.At)}
	if c.LastError != "" {
		fields = append(fields, "article_error", c.LastError)
	}
	pipe.HSet(ctx, key, fields...)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("record articles of %s: %w", sourceID, err)
	}
	return nil
}

// articleRecords reads a source's article records; an undecodable one is
// skipped (and rewritten by the next poll that lists its entry).
func (s *Store) articleRecords(ctx context.Context, sourceID string) (map[string]ArticleRecord, error) {
	h, err := s.client.HGetAll(ctx, s.keys.SourceArticles(sourceID)).Result()
	if err != nil {
		return nil, fmt.Errorf("read articles of %s: %w", sourceID, err)
	}
	out := make(map[string]ArticleRecord, len(h))
	for id, v := range h {
		var rec ArticleRecord
		if err := json.Unmarshal([]byte(v), &rec); err != nil {
			s.logger.Warn("skipping undecodable article record", "source", sourceID, "entry_id", id, "error", err)
			continue
		}
		out[id] = rec
	}
	return out, nil
}

// fixArticleRecords writes set and deletes drop in one round trip.
func (s *Store) fixArticleRecords(ctx context.Context, sourceID string, set map[string]ArticleRecord, drop []string) error {
	if len(set) == 0 && len(drop) == 0 {
		return nil
	}
	key := s.keys.SourceArticles(sourceID)
	pipe := s.client.Pipeline()
	for id, rec := range set {
		data, err := json.Marshal(rec)
		if err != nil {
			return fmt.Errorf("write article record %s: %w", id, err)
		}
		pipe.HSet(ctx, key, id, data)
	}
	if len(drop) > 0 {
		pipe.HDel(ctx, key, drop...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("write articles of %s: %w", sourceID, err)
	}
	return nil
}

// holders returns the sections among sectionIDs whose set holds the entry.
func (s *Store) holders(ctx context.Context, entryID string, sectionIDs []string) ([]string, error) {
	pipe := s.client.Pipeline()
	cmds := make([]*redis.FloatCmd, len(sectionIDs))
	for i, sec := range sectionIDs {
		cmds[i] = pipe.ZScore(ctx, s.keys.SectionEntries(sec), entryID)
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return nil, err
	}
	var out []string
	for i, cmd := range cmds {
		err := cmd.Err()
		switch {
		case err == nil:
			out = append(out, sectionIDs[i])
		case !errors.Is(err, redis.Nil):
			return nil, err
		}
	}
	return out, nil
}
