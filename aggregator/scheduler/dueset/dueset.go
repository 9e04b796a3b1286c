// Package dueset owns the due set: the Redis keys that schedule every
// source across instances (a sorted set of due times, the claims on it,
// the edits made under a claim, the operators' poll requests) and the
// scripts that claim, complete and reschedule sources in them. It is the
// scheduler's store adapter: package scheduler decides when a source is
// due, dueset records it atomically for every instance. It never polls,
// and it never reads or writes a source's entries or state (seeding only
// reads the next_due an earlier version stored, through store.Keys).
package dueset

import (
	"fmt"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/store"
)

// The due set (Keys.Due) is the one schedule of every source, shared by
// every instance: a source is due when its score, in unix milliseconds,
// has passed. An instance claims due sources by moving their score to a
// deadline (now + lease) and recording a token in Keys.Claims, polls
// them, and completes each claim by writing the next due time. A claim
// whose instance died is never completed: at its deadline the source is
// simply due again and another instance claims it.
//
// The set is split into shards (Keys.Shards), each its own keys under one
// hash tag, so every script runs on a single Cluster slot while Cluster
// spreads the shards, and the work of scheduling, over its nodes. A
// source lives in one shard, Keys.Shard of its id: its score, claim, edit
// and poll request are always there.

// DefaultShards is the shard count when none is configured: one, today's
// keys. On one Redis every shard runs on the same core, and each step of
// the loop costs a script call per shard, so more shards only add work
// (see docs/performance.md); they pay on Redis Cluster, where they spread
// that work over the nodes.
const DefaultShards = 1

// MaxShards bounds the shard count: a change of count walks every shard
// of the old layout once (SeedDue), and a layout key beyond the bound is
// not one this package wrote, so it is left alone.
const MaxShards = 256

// Set is the due set on one Redis (or Redis Cluster). It is safe for
// concurrent use; beyond the client it holds only the shard at which the
// next DueStep starts handing out claims.
type Set struct {
	client redis.UniversalClient
	keys   Keys
	// state names the source state hashes SeedDue reads next_due from.
	state store.Keys
	// next rotates which shards get the remainder of a step's limit, so
	// that with a limit below the shard count no shard starves.
	next atomic.Uint32
}

// New returns the due set in client under keys starting with prefix
// (store.DefaultPrefix when empty), the store's prefix, so one Redis
// holds one deployment's data and schedule side by side, split into
// shards shards (DefaultShards when not positive, at most MaxShards).
func New(client redis.UniversalClient, prefix string, shards int) *Set {
	if prefix == "" {
		prefix = store.DefaultPrefix
	}
	if shards <= 0 {
		shards = DefaultShards
	}
	shards = min(shards, MaxShards)
	return &Set{client: client, keys: Keys{Prefix: prefix, Shards: shards}, state: store.Keys{Prefix: prefix}}
}

// Client returns the Redis client the set uses.
func (s *Set) Client() redis.UniversalClient { return s.client }

// Keys returns the key schema the set uses.
func (s *Set) Keys() Keys { return s.keys }

// Claim is a source an instance took from the due set to poll.
type Claim struct {
	SourceID string
	// Due is the due time the poll serves: the score the source had
	// (zero when ClaimSource found it outside the set).
	Due time.Time
	// Requested is true when an operator's poll request was pending; the
	// claim took it, so no other instance polls for it.
	Requested bool
	// Token proves, when the claim completes, that it is still this
	// poll's (not reclaimed by another instance after its deadline).
	Token string
	// Deadline is when the claim lapses and another instance may claim
	// the source again: the work done under it must end before.
	Deadline time.Time
}

// Completion ends a claim: the source is next due at Next. A zero Next
// removes the source from the set (its schedule never fires again).
type Completion struct {
	SourceID, Token string
	Next            time.Time
}

// DueBatch is what DueStep did.
type DueBatch struct {
	Claimed []Claim
	// Earliest is the lowest score left in the set (a due time or a
	// claim's deadline), zero when the set is empty.
	Earliest time.Time
}

// dueChunk bounds the members one seeding or scheduling command carries,
// so a reload of 100k sources is many short commands, not one that holds
// Redis for a long time.
const dueChunk = 1000

// byShard groups ids by their shard.
func (s *Set) byShard(ids []string) map[int][]string {
	out := map[int][]string{}
	for _, id := range ids {
		i := s.keys.Shard(id)
		out[i] = append(out[i], id)
	}
	return out
}

// shardKeys are the KEYS of every script of shard i: due set, claims,
// edits.
func (s *Set) shardKeys(i int) []string {
	return []string{s.keys.Due(i), s.keys.Claims(i), s.keys.Edits(i)}
}

// ms is t in unix milliseconds, the scores of the due set.
func ms(t time.Time) int64 { return t.UnixMilli() }

// parseScore reads a score of the due set ("" is zero).
func parseScore(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return time.Time{}, fmt.Errorf("score %q: %w", s, err)
	}
	return time.UnixMilli(int64(f)), nil
}
