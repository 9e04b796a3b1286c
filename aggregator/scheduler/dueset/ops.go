package dueset

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/redis/go-redis/v9"
)

// ClaimSource claims one source until now+lease, due or not (an operator
// polls it now, or its entries are re-evaluated), unless another poll's
// live claim holds it: then ok is false. A source outside the set is added
// with the claim.
func (s *Set) ClaimSource(ctx context.Context, id string, now time.Time, lease time.Duration, token string) (c Claim, ok bool, err error) {
	claims, oks, err := s.ClaimSources(ctx, []string{id}, now, lease, token)
	if err != nil {
		return Claim{}, false, err
	}
	return claims[0], oks[0], nil
}

// ClaimSources is ClaimSource for each of ids: one script call per shard
// and dueChunk ids, pipelined (on Cluster, each node gets its share at
// once). claims[i] is ids[i]'s, with ok[i] false when another poll holds
// it. An error in any call fails the whole; the claims made meanwhile
// lapse at their deadline.
func (s *Set) ClaimSources(ctx context.Context, ids []string, now time.Time, lease time.Duration, token string) (claims []Claim, ok []bool, err error) {
	type call struct {
		shard int
		ids   []string
		cmd   *redis.Cmd
	}
	var calls []call
	for i, ids := range s.byShard(ids) {
		for chunk := range slices.Chunk(ids, dueChunk) {
			calls = append(calls, call{shard: i, ids: chunk})
		}
	}
	pipe := s.client.Pipeline()
	for k, c := range calls {
		calls[k].cmd = claimSource.EvalSha(ctx, pipe, s.shardKeys(c.shard), s.claimArgs(c.shard, c.ids, now, lease, token)...)
	}
	_, _ = pipe.Exec(ctx) // each call's own error is read below
	index := make(map[string]int, len(ids))
	for i, id := range ids {
		index[id] = i
	}
	claims, ok = make([]Claim, len(ids)), make([]bool, len(ids))
	deadline := time.UnixMilli(ms(now.Add(lease)))
	for _, c := range calls {
		res, err := c.cmd.Slice()
		if redis.HasErrorPrefix(err, "NOSCRIPT") { // a Redis that lost its scripts: Run loads them
			res, err = claimSource.Run(ctx, s.client, s.shardKeys(c.shard), s.claimArgs(c.shard, c.ids, now, lease, token)...).Slice()
		}
		if err == nil && len(res) != 2*len(c.ids) {
			err = fmt.Errorf("unexpected reply of %d values", len(res))
		}
		if err != nil {
			return nil, nil, fmt.Errorf("claim %d sources: %w", len(c.ids), err)
		}
		for k, id := range c.ids {
			score, _ := res[2*k].(string)
			if score == "-" {
				continue
			}
			due, err := parseScore(score)
			if err != nil {
				return nil, nil, fmt.Errorf("claim source %s: %w", id, err)
			}
			taken, _ := res[2*k+1].(int64)
			i := index[id]
			claims[i] = Claim{SourceID: id, Due: due, Requested: taken == 1, Token: token, Deadline: deadline}
			ok[i] = true
		}
	}
	return claims, ok, nil
}

// claimArgs are claimSourceScript's ARGV for ids of shard i.
func (s *Set) claimArgs(i int, ids []string, now time.Time, lease time.Duration, token string) []any {
	args := make([]any, 0, 4+len(ids))
	args = append(args, ms(now), ms(now.Add(lease)), token, s.keys.pollRequests(i))
	for _, id := range ids {
		args = append(args, id)
	}
	return args
}

// ScheduleDue makes each source due at its time if that is earlier than
// its score, or adds it when the set lacks it. A source being polled
// (live claim) keeps its claim's deadline; the time is recorded for the
// claim's completion, which makes the source due no later than it.
func (s *Set) ScheduleDue(ctx context.Context, at map[string]time.Time, now time.Time) error {
	ids := make([]string, 0, len(at))
	for id := range at {
		ids = append(ids, id)
	}
	for i, ids := range s.byShard(ids) {
		for chunk := range slices.Chunk(ids, dueChunk) {
			args := make([]any, 0, 1+2*len(chunk))
			args = append(args, ms(now))
			for _, id := range chunk {
				args = append(args, id, ms(at[id]))
			}
			if err := scheduleDue.Run(ctx, s.client, s.shardKeys(i), args...).Err(); err != nil {
				return fmt.Errorf("schedule %d sources: %w", len(chunk), err)
			}
		}
	}
	return nil
}

// RemoveDue takes sources out of the schedule: their scores, claims and
// pending poll requests (one slot per shard, so one transaction each even
// on Cluster). A poll of one still running completes without putting it
// back.
func (s *Set) RemoveDue(ctx context.Context, ids []string) error {
	for i, ids := range s.byShard(ids) {
		for chunk := range slices.Chunk(ids, dueChunk) {
			if err := s.removeChunk(ctx, i, chunk); err != nil {
				return fmt.Errorf("remove %d sources from the due set: %w", len(chunk), err)
			}
		}
	}
	return nil
}

func (s *Set) removeChunk(ctx context.Context, i int, ids []string) error {
	members := make([]any, len(ids))
	reqs := make([]string, len(ids))
	for j, id := range ids {
		members[j], reqs[j] = id, s.keys.pollRequests(i)+id
	}
	_, err := s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		p.ZRem(ctx, s.keys.Due(i), members...)
		p.HDel(ctx, s.keys.Claims(i), ids...)
		p.HDel(ctx, s.keys.Edits(i), ids...)
		p.Del(ctx, reqs...)
		return nil
	})
	return err
}

// DueSources returns every source in the set with its score (claimed ones
// at their deadline), for tests and diagnostics.
func (s *Set) DueSources(ctx context.Context) (map[string]time.Time, error) {
	out := map[string]time.Time{}
	for i := range s.keys.Shards {
		zs, err := s.client.ZRangeWithScores(ctx, s.keys.Due(i), 0, -1).Result()
		if err != nil {
			return nil, fmt.Errorf("read due set: %w", err)
		}
		for _, z := range zs {
			id, _ := z.Member.(string)
			out[id] = time.UnixMilli(int64(z.Score))
		}
	}
	return out, nil
}
