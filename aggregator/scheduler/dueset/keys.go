package dueset

import (
	"hash/fnv"
	"strconv"
)

// Keys names the due set's Redis keys. Each shard's keys share one hash
// tag, so one script updates them together on Redis Cluster too: {sched}
// when there is one shard (the keys of every version before shards, which
// operators' data and docs/operating.md name), {sched:i} for shard i of
// several, which Cluster places in different slots. keys_test.go pins the
// strings.
type Keys struct {
	// Prefix starts every key, e.g. "trib:" (the store's prefix).
	Prefix string
	// Shards is how many shards the set has; below 2 means one.
	Shards int
}

// tag is the hash tag of shard i.
func (k Keys) tag(i int) string {
	if k.Shards <= 1 {
		return "{sched}"
	}
	return "{sched:" + strconv.Itoa(i) + "}"
}

// Shard is the shard of source id: FNV-1a of the id modulo Shards, the
// same on every instance and across restarts.
func (k Keys) Shard(id string) int {
	if k.Shards <= 1 {
		return 0
	}
	h := fnv.New32a()
	_, _ = h.Write([]byte(id))
	return int(h.Sum32() % uint32(k.Shards))
}

// Due is the sorted set that schedules the sources of shard i, shared by
// every instance: member source id, score the unix milliseconds at which
// it is next due or, while an instance polls it, its claim's deadline.
func (k Keys) Due(i int) string {
	return k.Prefix + k.tag(i) + ":due"
}

// Claims is the hash of the claims on Due(i): field source id, value the
// token of the poll that claimed it (see Set.DueStep).
func (k Keys) Claims(i int) string {
	return k.Prefix + k.tag(i) + ":claims"
}

// Edits is the hash of due times edits asked for while a source of shard
// i was claimed: field source id, value unix milliseconds. The claim's
// completion takes the earlier of it and its own plan (see Set.DueStep).
func (k Keys) Edits(i int) string {
	return k.Prefix + k.tag(i) + ":edits"
}

// PollRequest is the string key marking a poll of source id asked for
// through the admin API and not yet served by any instance. It shares the
// hash tag of the source's shard: the claim script takes it.
func (k Keys) PollRequest(id string) string {
	return k.pollRequests(k.Shard(id)) + id
}

// pollRequests is the prefix of the poll request keys of shard i.
func (k Keys) pollRequests(i int) string {
	return k.Prefix + k.tag(i) + ":pollreq:"
}

// Layout is the string key holding the shard count the keys are laid out
// for, written when it is above one (absent: one shard, as every version
// before shards). SeedDue compares it with Shards and, when they differ,
// moves every source to its shard under the new count.
func (k Keys) Layout() string {
	return k.Prefix + "{sched}:shards"
}
