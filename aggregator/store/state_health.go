package store

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// SourcesHealth returns the health of each source id, in the given order:
// two fields of each state hash, read in one pipeline (one round trip; on
// a Cluster the client splits it by slot). A source without a state reads
// as never succeeded and not failing.
func (s *Store) SourcesHealth(ctx context.Context, ids []string) ([]model.SourceHealth, error) {
	pipe := s.client.Pipeline()
	cmds := make([]*redis.SliceCmd, len(ids))
	for i, id := range ids {
		cmds[i] = pipe.HMGet(ctx, s.keys.SourceState(id), "last_success", "errors_in_row")
	}
	if len(ids) > 0 {
		if _, err := pipe.Exec(ctx); err != nil {
			return nil, fmt.Errorf("read sources' health: %w", err)
		}
	}
	out := make([]model.SourceHealth, len(ids))
	for i, id := range ids {
		fields := map[string]string{}
		for j, name := range []string{"last_success", "errors_in_row"} {
			if v, ok := cmds[i].Val()[j].(string); ok {
				fields[name] = v
			}
		}
		d := stateDecoder{fields: fields}
		out[i] = model.SourceHealth{LastSuccess: d.time("last_success"), ErrorsInRow: d.int("errors_in_row")}
		for _, err := range d.errs {
			s.logger.Warn("ignoring bad source state field", "source", id, "error", err)
		}
	}
	return out, nil
}
