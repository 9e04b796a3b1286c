package store

import (
	"context"
	"errors"
	"fmt"

	"github.com/redis/go-redis/v9"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// SourceStates is SourceState for many sources, batchSize of them per
// round trip: a command that polls thousands of sources at once would
// otherwise spend most of its time waiting on one read per source.
func (s *Store) SourceStates(ctx context.Context, ids []string) ([]model.SourceState, error) {
	out := make([]model.SourceState, 0, len(ids))
	cmds := make([]*redis.MapStringStringCmd, 0, min(len(ids), batchSize))
	for from := 0; from < len(ids); from += batchSize {
		part := ids[from:min(from+batchSize, len(ids))]
		pipe := s.client.Pipeline()
		cmds = cmds[:0]
		for _, id := range part {
			cmds = append(cmds, pipe.HGetAll(ctx, s.keys.SourceState(id)))
		}
		_, _ = pipe.Exec(ctx) // each read's error is checked below
		for i, cmd := range cmds {
			h, err := cmd.Result()
			if err != nil {
				return nil, fmt.Errorf("read source %s state: %w", part[i], err)
			}
			out = append(out, s.decodeState(part[i], h))
		}
	}
	return out, nil
}

// RulesFingerprints returns, for each source of ids, the fingerprint of
// the rules its entries were last indexed with ("" when none is stored),
// batchSize sources per round trip.
func (s *Store) RulesFingerprints(ctx context.Context, ids []string) ([]string, error) {
	out := make([]string, 0, len(ids))
	cmds := make([]*redis.StringCmd, 0, min(len(ids), batchSize))
	for from := 0; from < len(ids); from += batchSize {
		part := ids[from:min(from+batchSize, len(ids))]
		pipe := s.client.Pipeline()
		cmds = cmds[:0]
		for _, id := range part {
			cmds = append(cmds, pipe.Get(ctx, s.keys.SourceRules(id)))
		}
		_, _ = pipe.Exec(ctx)
		for i, cmd := range cmds {
			fp, err := cmd.Result()
			if err != nil && !errors.Is(err, redis.Nil) {
				return nil, fmt.Errorf("read source %s rules: %w", part[i], err)
			}
			out = append(out, fp)
		}
	}
	return out, nil
}
