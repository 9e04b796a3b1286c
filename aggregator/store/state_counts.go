package store

import (
	"context"
	"fmt"
	"strconv"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// countFields are the fields SourceStateCounts keeps: the state words
// but pending (a source never polled may have no state at all), and the
// count of stale sources.
var countFields = []string{model.StateOK, model.StateFailing, model.StateGone, model.StatePaused, staleCountField}

// SaveSourceTransition is SaveSourceState for a poll that read prev and
// wrote st: when the state word changed, the per-state counts move with it
// in the same pipeline, so a steady poll (the word unchanged) costs nothing
// more.
func (s *Store) SaveSourceTransition(ctx context.Context, sourceID string, prev, st model.SourceState) error {
	pipe := s.client.Pipeline()
	s.pipeTransition(ctx, pipe, sourceID, prev, st)
	if _, err := pipe.Exec(ctx); err != nil {
		return fmt.Errorf("save source %s state: %w", sourceID, err)
	}
	return nil
}

// pipeTransition queues the writes of SaveSourceTransition on pipe, so
// SavePoll writes a poll's state exactly as it does.
func (s *Store) pipeTransition(ctx context.Context, pipe redis.Pipeliner, sourceID string, prev, st model.SourceState) {
	pipe.HSet(ctx, s.keys.SourceState(sourceID), transitionFields(prev, st)...)
	countTransition(ctx, pipe, s.keys.SourceStateCounts(), prev.State(), st.State())
}

func countTransition(ctx context.Context, pipe redis.Pipeliner, key, from, to string) {
	if from == to {
		return
	}
	if from != model.StatePending {
		pipe.HIncrBy(ctx, key, from, -1)
	}
	if to != model.StatePending {
		pipe.HIncrBy(ctx, key, to, 1)
	}
}

// SourceStateCounts returns how many sources are in each counted state,
// and under model.FreshnessStale how many their last polls found stale
// (a count apart: a stale source is in one of the states too). One small
// hash, whatever the number of sources.
func (s *Store) SourceStateCounts(ctx context.Context) (map[string]int64, error) {
	h, err := s.client.HGetAll(ctx, s.keys.SourceStateCounts()).Result()
	if err != nil {
		return nil, fmt.Errorf("read source state counts: %w", err)
	}
	out := make(map[string]int64, len(countFields))
	for _, w := range countFields {
		n, _ := strconv.ParseInt(h[w], 10, 64)
		out[w] = max(n, 0)
	}
	return out, nil
}

// RecountSourceStates sets the counts from the states of sources: counts
// drift when sources leave the config (their last state stays counted) or
// when a transition races a recount, and this puts them right. It reads
// the few fields a state word depends on, recountChunk sources per round
// trip, so neither the time nor the memory of a recount grows with what
// else a state holds; callers still run it rarely (see the daemon).
func (s *Store) RecountSourceStates(ctx context.Context, sources []model.Source) error {
	counts := map[string]int64{}
	for from := 0; from < len(sources); from += recountChunk {
		if err := s.recountChunk(ctx, sources[from:min(from+recountChunk, len(sources))], counts); err != nil {
			return fmt.Errorf("recount source states: %w", err)
		}
	}
	fields := make([]any, 0, 2*len(countFields))
	for _, w := range countFields {
		fields = append(fields, w, counts[w])
	}
	if err := s.client.HSet(ctx, s.keys.SourceStateCounts(), fields...).Err(); err != nil {
		return fmt.Errorf("recount source states: %w", err)
	}
	return nil
}

// recountChunk is how many sources' state fields one pipeline of a recount
// reads.
const recountChunk = 2000

// recountFields are the state fields a state word and the stale count
// depend on (see SourceStatuses).
var recountFields = []string{"url", "gone", "disabled", "errors_in_row", "last_fetch", fieldStaleAlerted}

// recountChunk adds the state words of part to counts.
func (s *Store) recountChunk(ctx context.Context, part []model.Source, counts map[string]int64) error {
	pipe := s.client.Pipeline()
	cmds := make([]*redis.SliceCmd, len(part))
	for i, src := range part {
		cmds[i] = pipe.HMGet(ctx, s.keys.SourceState(src.ID), recountFields...)
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return err
	}
	h := make(map[string]string, len(recountFields))
	for i, src := range part {
		clear(h)
		for j, v := range cmds[i].Val() {
			if v, ok := v.(string); ok {
				h[recountFields[j]] = v
			}
		}
		st := s.decodeState(src.ID, h)
		gone := st.Gone && (st.URL == "" || st.URL == src.URL)
		counts[model.SourceStatus{Gone: gone, Paused: st.Paused, ErrorsInRow: st.ErrorsInRow, LastAttempt: st.LastAttempt}.State()]++
		if h[fieldStaleAlerted] == "1" {
			counts[staleCountField]++
		}
	}
	return nil
}
