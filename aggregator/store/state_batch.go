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
	return readEach(ctx, s.client, ids,
		func(p redis.Pipeliner, id string) *redis.MapStringStringCmd {
			return p.HGetAll(ctx, s.keys.SourceState(id))
		},
		func(id string, cmd *redis.MapStringStringCmd) (model.SourceState, error) {
			h, err := cmd.Result()
			if err != nil {
				return model.SourceState{}, fmt.Errorf("read source %s state: %w", id, err)
			}
			return s.decodeState(id, h), nil
		})
}

// RulesFingerprints returns, for each source of ids, the fingerprint of
// the rules its entries were last indexed with ("" when none is stored),
// batchSize sources per round trip.
func (s *Store) RulesFingerprints(ctx context.Context, ids []string) ([]string, error) {
	return readEach(ctx, s.client, ids,
		func(p redis.Pipeliner, id string) *redis.StringCmd { return p.Get(ctx, s.keys.SourceRules(id)) },
		func(id string, cmd *redis.StringCmd) (string, error) {
			fp, err := cmd.Result()
			if err != nil && !errors.Is(err, redis.Nil) {
				return "", fmt.Errorf("read source %s rules: %w", id, err)
			}
			return fp, nil
		})
}

// readEach queues one read per id, batchSize of them per pipeline, and
// returns what read makes of each reply, in the order of ids.
func readEach[C redis.Cmder, T any](ctx context.Context, client redis.UniversalClient, ids []string,
	queue func(redis.Pipeliner, string) C, read func(string, C) (T, error)) ([]T, error) {
	out := make([]T, 0, len(ids))
	cmds := make([]C, 0, min(len(ids), batchSize))
	for from := 0; from < len(ids); from += batchSize {
		part := ids[from:min(from+batchSize, len(ids))]
		pipe := client.Pipeline()
		cmds = cmds[:0]
		for _, id := range part {
			cmds = append(cmds, queue(pipe, id))
		}
		_, _ = pipe.Exec(ctx) // each read's error is read below
		for i, cmd := range cmds {
			v, err := read(part[i], cmd)
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
	}
	return out, nil
}
