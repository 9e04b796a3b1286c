package config

import "fmt"

// Scheduler shard counts: the default suits one Redis, where every shard
// runs on the same core and each adds a script call to every step of the
// loop; more shards pay on Redis Cluster, which spreads them over its
// nodes (see docs/performance.md). The bound matches package dueset's
// MaxShards, within which a change of count finds the old keys.
const (
	DefaultSchedulerShards = 1
	MaxSchedulerShards     = 256
)

// SchedulerConfig tunes the due set that schedules every source across
// instances.
type SchedulerConfig struct {
	// Shards is how many shards the due set is split into, each its own
	// keys in its own Cluster hash slot (default 1). Every instance of a
	// deployment must use the same count.
	Shards int `yaml:"shards"`
}

// scheduler checks scheduler.shards: a whole number of shards within the
// bound.
func (v *validator) scheduler(s *SchedulerConfig) {
	v.positive(&s.Shards, "shards", int64(s.Shards))
	if s.Shards > MaxSchedulerShards {
		v.check(&s.Shards, "shards", fmt.Errorf("must be at most %d, got %d", MaxSchedulerShards, s.Shards))
	}
}
