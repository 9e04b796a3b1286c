package store

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// PollHistoryLen is how many polls of a source its history keeps: half a
// day at the default 15-minute schedule, enough to see when a source
// started failing and what it answered, and at a few hundred bytes a poll
// small enough to keep for every source.
const PollHistoryLen = 50

// pollHistoryTTL lets the history of a source nobody polls any more (gone
// from the config or the admin API) go on its own; every poll renews it.
const pollHistoryTTL = 30 * 24 * time.Hour

// maxPollError bounds the error text a record keeps: the history is for
// seeing what went wrong, and a long message repeated fifty times would
// make it the largest thing a source stores.
const maxPollError = 512

// SavePoll is SaveSourceTransition that also prepends rec to the source's
// poll history, trimmed to PollHistoryLen, in the same pipeline: a poll
// still costs one round trip.
func (s *Store) SavePoll(ctx context.Context, sourceID string, prev, st model.SourceState, rec model.PollRecord) error {
	data, err := pollData(sourceID, rec)
	if err != nil {
		return err
	}
	pipe := s.client.Pipeline()
	s.pipeTransition(ctx, pipe, sourceID, prev, st)
	s.queuePoll(ctx, pipe, sourceID, data)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("save source %s state and poll: %w", sourceID, err)
	}
	return nil
}

// pollData is a poll's history line as stored.
func pollData(sourceID string, rec model.PollRecord) ([]byte, error) {
	rec.Error = truncateUTF8(rec.Error, maxPollError)
	data, err := json.Marshal(rec)
	if err != nil {
		return nil, fmt.Errorf("save source %s poll: %w", sourceID, err)
	}
	return data, nil
}

// queuePoll queues the history line of a poll on pipe, beside its state
// write (see SavePollFreshness too).
func (s *Store) queuePoll(ctx context.Context, pipe redis.Pipeliner, sourceID string, data []byte) {
	key := s.keys.SourcePolls(sourceID)
	pipe.LPush(ctx, key, data)
	pipe.LTrim(ctx, key, 0, PollHistoryLen-1)
	pipe.Expire(ctx, key, pollHistoryTTL)
}

// PollHistory returns up to limit of a source's recent polls, newest
// first (limit ≤ 0 or beyond PollHistoryLen reads them all). A record that
// does not decode is skipped and logged rather than failing the read.
func (s *Store) PollHistory(ctx context.Context, sourceID string, limit int) ([]model.PollRecord, error) {
	if limit <= 0 || limit > PollHistoryLen {
		limit = PollHistoryLen
	}
	raw, err := s.client.LRange(ctx, s.keys.SourcePolls(sourceID), 0, int64(limit-1)).Result()
	if err != nil {
		return nil, fmt.Errorf("read source %s polls: %w", sourceID, err)
	}
	out := make([]model.PollRecord, 0, len(raw))
	for _, r := range raw {
		var rec model.PollRecord
		if err := json.Unmarshal([]byte(r), &rec); err != nil {
			s.logger.Warn("ignoring bad poll record", "source", sourceID, "err", err)
			continue
		}
		out = append(out, rec)
	}
	return out, nil
}

// truncateUTF8 cuts s to at most n bytes without splitting a character.
func truncateUTF8(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && s[cut]&0xC0 == 0x80 {
		cut--
	}
	return s[:cut] + "…"
}
