package store

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// SectionMetas returns the meta of each section in one pipelined round
// trip, so a server can re-check every section's version cheaply. A section
// that never changed has the zero value.
func (s *Store) SectionMetas(ctx context.Context, sectionIDs []string) (map[string]model.SectionMeta, error) {
	out := make(map[string]model.SectionMeta, len(sectionIDs))
	if len(sectionIDs) == 0 {
		return out, nil
	}
	pipe := s.client.Pipeline()
	cmds := make([]*redis.MapStringStringCmd, len(sectionIDs))
	for i, id := range sectionIDs {
		cmds[i] = pipe.HGetAll(ctx, s.keys.SectionMeta(id))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("read section metas: %w", err)
	}
	for i, cmd := range cmds {
		meta, err := parseMeta(cmd.Val())
		if err != nil {
			return nil, fmt.Errorf("read section %s meta: %w", sectionIDs[i], err)
		}
		out[sectionIDs[i]] = meta
	}
	return out, nil
}
