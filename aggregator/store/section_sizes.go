package store

import (
	"context"
	"fmt"

	"github.com/redis/go-redis/v9"
)

// SectionSizes returns how many entries each section holds, in one
// pipelined round trip (ZCARD per section index; a pipeline is valid
// across Cluster slots). It backs the section size gauge of /metrics.
func (s *Store) SectionSizes(ctx context.Context, sectionIDs []string) (map[string]int64, error) {
	out := make(map[string]int64, len(sectionIDs))
	if len(sectionIDs) == 0 {
		return out, nil
	}
	pipe := s.client.Pipeline()
	cmds := make([]*redis.IntCmd, len(sectionIDs))
	for i, id := range sectionIDs {
		cmds[i] = pipe.ZCard(ctx, s.keys.SectionEntries(id))
	}
	if _, err := pipe.Exec(ctx); err != nil {
		return nil, fmt.Errorf("read section sizes: %w", err)
	}
	for i, cmd := range cmds {
		out[sectionIDs[i]] = cmd.Val()
	}
	return out, nil
}
