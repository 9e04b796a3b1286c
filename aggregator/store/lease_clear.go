package store

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/redis/go-redis/v9"
)

// ClearLeases deletes every poll lease and returns how many there were.
// Only for a store no other process uses (the embedded one): a lease
// restored from a snapshot belongs to a process that was killed mid-poll,
// and would otherwise block that source's polls until it expired.
//
// SCAN walks one server's keys, so on a Redis Cluster it runs on every
// master (a ClusterClient sends it to one node only).
func (s *Store) ClearLeases(ctx context.Context) (int, error) {
	pattern := s.keys.SourceLock("*")
	cluster, ok := s.client.(*redis.ClusterClient)
	if !ok {
		n, err := clearMatching(ctx, s.client, pattern)
		if err != nil {
			return n, fmt.Errorf("clear leases: %w", err)
		}
		return n, nil
	}
	var total atomic.Int64
	err := cluster.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
		n, err := clearMatching(ctx, node, pattern)
		total.Add(int64(n))
		if err != nil {
			return fmt.Errorf("on %s: %w", node.Options().Addr, err)
		}
		return nil
	})
	if err != nil {
		return int(total.Load()), fmt.Errorf("clear leases: %w", err)
	}
	return int(total.Load()), nil
}

// clearMatching deletes the keys of one server that match pattern.
func clearMatching(ctx context.Context, client redis.Cmdable, pattern string) (int, error) {
	n := 0
	iter := client.Scan(ctx, 0, pattern, 1000).Iterator()
	for iter.Next(ctx) {
		if err := client.Del(ctx, iter.Val()).Err(); err != nil {
			return n, err
		}
		n++
	}
	return n, iter.Err()
}
