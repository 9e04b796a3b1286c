package dueset

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// DueStep completes the claims in done, then claims up to limit due
// sources (none when limit ≤ 0) until now+lease: the scheduler's one
// round trip per batch. Every claim of one step carries token, which must
// be unique to the step.
//
// Every shard is served on every step, one script each, pipelined (on
// Cluster, go-redis sends each node its share at once): a shard's
// completions land in it, and the limit is split evenly over the shards,
// the remainder to shards in rotation so that none starves when the limit
// is below the shard count. Shards that still have due sources after
// their share then get what the others left, one call each. An error in
// any shard fails the step; claims made in the other shards lapse at
// their deadline, and their completions are repeated harmlessly (a
// completion whose claim is gone changes nothing).
func (s *Set) DueStep(ctx context.Context, done []Completion, now time.Time, limit int, lease time.Duration, token string) (DueBatch, error) {
	n := s.keys.Shards
	if n <= 1 {
		b, err := s.stepShard(ctx, s.client, 0, done, now, limit, lease, token).result()
		if err != nil {
			return DueBatch{}, fmt.Errorf("due step: %w", err)
		}
		return b, nil
	}
	doneBy := make([][]Completion, n)
	for _, c := range done {
		i := s.keys.Shard(c.SourceID)
		doneBy[i] = append(doneBy[i], c)
	}
	shares := s.shares(limit, n)
	pipe := s.client.Pipeline()
	steps := make([]shardStep, n)
	for i := range n {
		steps[i] = s.stepShard(ctx, pipe, i, doneBy[i], now, shares[i], lease, token)
	}
	_, _ = pipe.Exec(ctx) // each step's own error is read below
	batches := make([]DueBatch, n)
	for i, st := range steps {
		b, err := st.result()
		if redis.HasErrorPrefix(err, "NOSCRIPT") { // a Redis that lost its scripts: Run loads them
			b, err = s.stepShard(ctx, s.client, i, doneBy[i], now, shares[i], lease, token).result()
		}
		if err != nil {
			return DueBatch{}, fmt.Errorf("due step: shard %d: %w", i, err)
		}
		batches[i] = b
	}
	if err := s.takeLeftover(ctx, batches, shares, now, limit, lease, token); err != nil {
		return DueBatch{}, err
	}
	return merge(batches), nil
}

// shares splits limit over n shards: evenly, the remainder one each to
// the shards after a rotating start.
func (s *Set) shares(limit, n int) []int {
	out := make([]int, n)
	if limit <= 0 {
		return out
	}
	start := int(s.next.Add(1) % uint32(n))
	for j := range n {
		out[(start+j)%n] = limit / n
		if j < limit%n {
			out[(start+j)%n]++
		}
	}
	return out
}

// takeLeftover hands what the shares left of limit to the shards that
// still have due sources, one script call each: due sources are spread
// evenly by the hash, so this is rare, but a backlog in one shard must
// not wait on an idle one's share.
func (s *Set) takeLeftover(ctx context.Context, batches []DueBatch, shares []int, now time.Time, limit int, lease time.Duration, token string) error {
	left := limit
	for _, b := range batches {
		left -= len(b.Claimed)
	}
	for i := range batches {
		if left <= 0 {
			return nil
		}
		e := batches[i].Earliest
		if e.IsZero() || e.After(now) || len(batches[i].Claimed) < shares[i] {
			continue
		}
		b, err := s.stepShard(ctx, s.client, i, nil, now, left, lease, token).result()
		if err != nil {
			return fmt.Errorf("due step: shard %d: %w", i, err)
		}
		left -= len(b.Claimed)
		batches[i].Claimed = append(batches[i].Claimed, b.Claimed...)
		batches[i].Earliest = b.Earliest
	}
	return nil
}

// merge is the step of every shard as one: all their claims, the
// earliest of their earliest scores.
func merge(batches []DueBatch) DueBatch {
	var out DueBatch
	for _, b := range batches {
		out.Claimed = append(out.Claimed, b.Claimed...)
		if !b.Earliest.IsZero() && (out.Earliest.IsZero() || b.Earliest.Before(out.Earliest)) {
			out.Earliest = b.Earliest
		}
	}
	return out
}

// shardStep is one shard's due step script, sent or queued in a
// pipeline.
type shardStep struct {
	cmd      *redis.Cmd
	token    string
	deadline time.Time
}

// stepShard runs (or, on a pipeline, queues) dueStepScript on shard i.
func (s *Set) stepShard(ctx context.Context, c redis.Scripter, i int, done []Completion, now time.Time, limit int, lease time.Duration, token string) shardStep {
	args := make([]any, 0, 6+3*len(done))
	args = append(args, ms(now), ms(now.Add(lease)), limit, token, s.keys.pollRequests(i), len(done))
	for _, c := range done {
		next := ""
		if !c.Next.IsZero() {
			next = strconv.FormatInt(ms(c.Next), 10)
		}
		args = append(args, c.SourceID, c.Token, next)
	}
	var cmd *redis.Cmd
	if _, pipelined := c.(redis.Pipeliner); pipelined {
		// Run's fallback to EVAL needs the reply, which a pipeline has
		// only at Exec: DueStep repeats a NOSCRIPT shard with Run.
		cmd = dueStep.EvalSha(ctx, c, s.shardKeys(i), args...)
	} else {
		cmd = dueStep.Run(ctx, c, s.shardKeys(i), args...)
	}
	return shardStep{cmd: cmd, token: token, deadline: time.UnixMilli(ms(now.Add(lease)))}
}

func (st shardStep) result() (DueBatch, error) {
	res, err := st.cmd.Slice()
	if err != nil {
		return DueBatch{}, err
	}
	return parseDueStep(res, st.token, st.deadline)
}

func parseDueStep(res []any, token string, deadline time.Time) (DueBatch, error) {
	if len(res) < 1 || (len(res)-1)%3 != 0 {
		return DueBatch{}, fmt.Errorf("unexpected reply of %d values", len(res))
	}
	var b DueBatch
	for i := 0; i+3 <= len(res)-1; i += 3 {
		id, _ := res[i].(string)
		score, _ := res[i+1].(string)
		due, err := parseScore(score)
		if err != nil {
			return DueBatch{}, fmt.Errorf("source %s: %w", id, err)
		}
		taken, _ := res[i+2].(int64)
		b.Claimed = append(b.Claimed, Claim{SourceID: id, Due: due, Requested: taken == 1, Token: token, Deadline: deadline})
	}
	first, _ := res[len(res)-1].(string)
	earliest, err := parseScore(first)
	if err != nil {
		return DueBatch{}, fmt.Errorf("earliest: %w", err)
	}
	b.Earliest = earliest
	return b, nil
}
