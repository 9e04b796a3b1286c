package store

import (
	"context"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// groupCommitTimeout bounds one shared pipeline: it carries other
// callers' writes, so no one caller's context may cut it short.
const groupCommitTimeout = 10 * time.Second

// groupCommit sends the commands of concurrent callers in one pipeline
// (group commit): each poll writes its state with one round trip of its
// own, and with dozens of polls ending at once those round trips, two
// system calls on each side per poll, are most of what an unchanged
// poll costs. A caller that finds no pipeline in flight sends at once
// with whatever else is queued; callers arriving meanwhile queue, and the
// first of them sends the next pipeline with all of them. No goroutine
// of its own: the zero value is ready, and a caller sends at most one
// pipeline besides waiting for its own.
type groupCommit struct {
	mu      sync.Mutex
	queue   []*commit
	sending bool
}

// commit is one caller's part of a pipeline.
type commit struct {
	add      func(redis.Pipeliner)
	from, to int // its commands' positions in the pipeline
	cmds     []redis.Cmder
	done     chan struct{} // closed once its commands were sent
	lead     chan struct{} // closed to hand it the sending of the next pipeline
}

// do queues add's commands and returns them once sent, each with its own
// reply or error (a failed command fails only its caller).
func (g *groupCommit) do(ctx context.Context, client redis.UniversalClient, add func(redis.Pipeliner)) []redis.Cmder {
	c := &commit{add: add, done: make(chan struct{}), lead: make(chan struct{})}
	g.mu.Lock()
	g.queue = append(g.queue, c)
	lead := !g.sending
	g.sending = true
	g.mu.Unlock()
	if !lead {
		select {
		case <-c.done:
			return c.cmds
		case <-c.lead:
		}
	}
	g.send(ctx, client)
	<-c.done
	return c.cmds
}

// send sends everything queued in one pipeline, then hands the sending
// of what queued meanwhile to the first caller waiting, or ends.
func (g *groupCommit) send(ctx context.Context, client redis.UniversalClient) {
	g.mu.Lock()
	batch := g.queue
	g.queue = nil
	g.mu.Unlock()
	pipe := client.Pipeline()
	for _, c := range batch {
		c.from = pipe.Len()
		c.add(pipe)
		c.to = pipe.Len()
	}
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), groupCommitTimeout)
	cmds, _ := pipe.Exec(ctx) // each caller reads its own commands' errors
	cancel()
	for _, c := range batch {
		c.cmds = cmds[c.from:c.to]
		close(c.done)
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.queue) == 0 {
		g.sending = false
		return
	}
	// The first waiting is still queued: it sends itself with the rest.
	close(g.queue[0].lead)
}
