package dueset

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/redis/go-redis/v9"
)

// SeedDue adds the sources the set does not hold yet, due at the next_due
// their stored state recorded (a source scheduled by an earlier version
// keeps its time), else at now; sources already in the set keep their
// score. ZADD NX makes several instances seeding at once harmless. It
// returns how many it added.
//
// It first moves the sources to their shards if the keys are laid out
// for another shard count (see Keys.Layout), so a change of
// scheduler.shards neither loses a source nor schedules it twice.
func (s *Set) SeedDue(ctx context.Context, ids []string, now time.Time) (int, error) {
	if err := s.reshard(ctx); err != nil {
		return 0, fmt.Errorf("seed due set: %w", err)
	}
	added := 0
	for i, ids := range s.byShard(ids) {
		for chunk := range slices.Chunk(ids, dueChunk) {
			n, err := s.seedChunk(ctx, i, chunk, now)
			added += n
			if err != nil {
				return added, fmt.Errorf("seed due set: %w", err)
			}
		}
	}
	return added, nil
}

func (s *Set) seedChunk(ctx context.Context, shard int, ids []string, now time.Time) (int, error) {
	scores, err := s.client.ZMScore(ctx, s.keys.Due(shard), ids...).Result()
	if err != nil {
		return 0, err
	}
	var missing []string
	for i, sc := range scores {
		if sc == 0 { // go-redis reads a member's absence as 0; no score is 0
			missing = append(missing, ids[i])
		}
	}
	if len(missing) == 0 {
		return 0, nil
	}
	pipe := s.client.Pipeline()
	cmds := make([]*redis.StringCmd, len(missing))
	for i, id := range missing {
		cmds[i] = pipe.HGet(ctx, s.state.SourceState(id), "next_due")
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return 0, err
	}
	members := make([]redis.Z, len(missing))
	for i, id := range missing {
		at := now
		if t, err := time.Parse(time.RFC3339Nano, cmds[i].Val()); err == nil && !t.IsZero() {
			at = t
		}
		members[i] = redis.Z{Score: float64(ms(at)), Member: id}
	}
	n, err := s.client.ZAddNX(ctx, s.keys.Due(shard), members...).Result()
	return int(n), err
}

// reshard moves every source to its shard when the keys are laid out for
// another count, then records the new one. It reads one key when nothing
// changed. Instances must agree on the count: one still running with the
// old count keeps using the old keys until it restarts with the new one.
func (s *Set) reshard(ctx context.Context) error {
	was, err := s.client.Get(ctx, s.keys.Layout()).Int()
	switch {
	case errors.Is(err, redis.Nil):
		was = 1
	case err != nil:
		return fmt.Errorf("read shard layout: %w", err)
	}
	if was == s.keys.Shards || was < 1 || was > MaxShards {
		return nil
	}
	from := Keys{Prefix: s.keys.Prefix, Shards: was}
	for j := range was {
		if err := s.drainShard(ctx, from, j); err != nil {
			return fmt.Errorf("move shard %d of %d to %d shards: %w", j, was, s.keys.Shards, err)
		}
	}
	if s.keys.Shards == 1 {
		return s.client.Del(ctx, s.keys.Layout()).Err()
	}
	return s.client.Set(ctx, s.keys.Layout(), strconv.Itoa(s.keys.Shards), 0).Err()
}

// drainShard moves the sources of shard j of the layout from that belong
// elsewhere under s's layout, a chunk at a time: copied to their new
// shard first (adoptScript), then removed from the old one, so a crash
// between the two leaves a source in both, never in neither; the next
// start's reshard finishes the move. Passes repeat until one moves
// nothing: ZSCAN returns every member present throughout a scan, but a
// backend that pages by position (miniredis) skips some as members leave.
func (s *Set) drainShard(ctx context.Context, from Keys, j int) error {
	for {
		moved, err := s.drainPass(ctx, from, j)
		if err != nil || moved == 0 {
			return err
		}
	}
}

func (s *Set) drainPass(ctx context.Context, from Keys, j int) (int, error) {
	var cursor uint64
	moved := 0
	for {
		kv, next, err := s.client.ZScan(ctx, from.Due(j), cursor, "", dueChunk).Result()
		if err != nil {
			return moved, err
		}
		n, err := s.moveChunk(ctx, from, j, kv)
		moved += n
		if err != nil {
			return moved, err
		}
		if cursor = next; cursor == 0 {
			return moved, nil
		}
	}
}

// moveChunk moves the members of kv (ZSCAN's member, score pairs) of
// shard j of from whose key is another under s's layout.
func (s *Set) moveChunk(ctx context.Context, from Keys, j int, kv []string) (int, error) {
	var ids, scores []string
	for i := 0; i+1 < len(kv); i += 2 {
		if s.keys.Due(s.keys.Shard(kv[i])) != from.Due(j) {
			ids, scores = append(ids, kv[i]), append(scores, kv[i+1])
		}
	}
	if len(ids) == 0 {
		return 0, nil
	}
	toks, err := s.client.HMGet(ctx, from.Claims(j), ids...).Result()
	if err != nil {
		return 0, err
	}
	edits, err := s.client.HMGet(ctx, from.Edits(j), ids...).Result()
	if err != nil {
		return 0, err
	}
	args := map[int][]any{}
	for i, id := range ids {
		t := s.keys.Shard(id)
		tok, _ := toks[i].(string)
		edit, _ := edits[i].(string)
		args[t] = append(args[t], id, scores[i], tok, edit)
	}
	for t, a := range args {
		if err := adopt.Run(ctx, s.client, s.shardKeys(t), a...).Err(); err != nil {
			return 0, err
		}
	}
	if err := s.movePollRequests(ctx, from, j, ids); err != nil {
		return 0, err
	}
	_, err = s.client.TxPipelined(ctx, func(p redis.Pipeliner) error {
		members := make([]any, len(ids))
		for i, id := range ids {
			members[i] = id
		}
		p.ZRem(ctx, from.Due(j), members...)
		p.HDel(ctx, from.Claims(j), ids...)
		p.HDel(ctx, from.Edits(j), ids...)
		return nil
	})
	return len(ids), err
}

// movePollRequests carries the pending poll requests of ids from shard j
// of from to their new shards, with the time they had left.
func (s *Set) movePollRequests(ctx context.Context, from Keys, j int, ids []string) error {
	pipe := s.client.Pipeline()
	ttls := make([]*redis.DurationCmd, len(ids))
	vals := make([]*redis.StringCmd, len(ids))
	for i, id := range ids {
		ttls[i] = pipe.PTTL(ctx, from.pollRequests(j)+id)
		vals[i] = pipe.Get(ctx, from.pollRequests(j)+id)
	}
	if _, err := pipe.Exec(ctx); err != nil && !errors.Is(err, redis.Nil) {
		return err
	}
	for i, id := range ids {
		ttl := ttls[i].Val()
		if vals[i].Err() != nil || ttl <= 0 {
			continue
		}
		if err := s.client.Set(ctx, s.keys.PollRequest(id), vals[i].Val(), ttl).Err(); err != nil {
			return err
		}
		if err := s.client.Del(ctx, from.pollRequests(j)+id).Err(); err != nil {
			return err
		}
	}
	return nil
}
