package store

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// BatchSize bounds what one round trip of an ingest carries (see batch.go).
const BatchSize = batchSize

// RecountChunk is how many sources one round trip of a recount reads.
const RecountChunk = recountChunk

// GroupCommit exposes groupCommit to the external tests.
type GroupCommit = groupCommit

func (g *groupCommit) Do(ctx context.Context, client redis.UniversalClient, add func(redis.Pipeliner)) []redis.Cmder {
	return g.do(ctx, client, add)
}
