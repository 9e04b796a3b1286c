package store

import (
	"context"
	"errors"

	"github.com/redis/go-redis/v9"
)

// go-redis gives a whole pipeline one write deadline and one read deadline
// (3 s each by default): a pipeline the server needs longer to answer fails
// as a whole, and is retried as a whole on the next poll. Ingesting a feed
// of 100,000 items in one pipeline did exactly that on the embedded store,
// on every poll. So every pipeline, script call and multi-member command
// of an ingest is bounded, and a large ingest is a series of them.
const (
	// batchSize bounds the commands of one pipeline, the members or fields
	// of one command and the items of one section script call.
	batchSize = 500
	// batchBytes bounds the values one pipeline carries: 500 entries of
	// 256 KB of content would be 128 MB in one write.
	batchBytes = 4 << 20
)

// batch is a pipeline sent whenever it holds batchSize commands or
// batchBytes of values. Commands queued on it return as usual and hold
// their results once the batch that carried them was sent.
type batch struct {
	pipe  redis.Pipeliner
	bytes int
}

func (s *Store) newBatch() *batch {
	return &batch{pipe: s.client.Pipeline()}
}

// queued notes a command just queued on b.pipe carrying size bytes of
// values, and sends the batch once it is full.
func (b *batch) queued(ctx context.Context, size int) error {
	b.bytes += size
	if b.pipe.Len() < batchSize && b.bytes < batchBytes {
		return nil
	}
	return b.send(ctx)
}

// send executes what is queued. A missing key (redis.Nil) is no error
// here: the commands carry it for their callers to read. Once ctx is done
// nothing more is sent, so a large ingest stops at the next batch when
// the daemon shuts down; every step is idempotent, and the next poll
// completes it.
func (b *batch) send(ctx context.Context) error {
	b.bytes = 0
	if b.pipe.Len() == 0 {
		return nil
	}
	if err := ctx.Err(); err != nil {
		b.pipe.Discard()
		return err
	}
	if _, err := b.pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	return nil
}

// chunks splits s into consecutive parts of at most batchSize elements.
func chunks[T any](s []T) [][]T {
	var out [][]T
	for len(s) > batchSize {
		out = append(out, s[:batchSize:batchSize])
		s = s[batchSize:]
	}
	if len(s) > 0 {
		out = append(out, s)
	}
	return out
}
