package main

import (
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/scheduler"
)

// configurePolling applies the polling policy of cfg to sched: how long a
// claim on a source lasts, and the bounds on hints and backoff. (The
// per-host limit is the fetcher's, taken once per fetch.)
func configurePolling(sched *scheduler.Scheduler, cfg *config.Config) {
	// A claim must outlive a whole poll: a wait behind the poll queued
	// before it, the fetch, then parsing and ingest.
	sched.LeaseTTL = 2*time.Duration(cfg.Fetch.Timeout) + 30*time.Second
	sched.MaxInterval = time.Duration(cfg.Defaults.MaxInterval)
	sched.MaxBackoff = time.Duration(cfg.Fetch.MaxBackoff)
}
