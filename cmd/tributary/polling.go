package main

import (
	"time"

	"github.com/tributary-rss/tributary/aggregator"
	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// configurePolling applies the polling policy of cfg to sched: leases and
// poll requests in the shared store (so several daemons on one Redis poll
// each source once per due time, and once per admin request) and the
// bounds on hints and backoff.
func configurePolling(sched *aggregator.Scheduler, st *store.Store, cfg *config.Config) {
	sched.Leases = st
	sched.Requests = st
	// A lease must outlive a whole poll: the fetch, then parsing and ingest.
	sched.LeaseTTL = 2*time.Duration(cfg.Fetch.Timeout) + 30*time.Second
	sched.MaxInterval = time.Duration(cfg.Defaults.MaxInterval)
	sched.MaxBackoff = time.Duration(cfg.Fetch.MaxBackoff)
	sched.PerHost = cfg.Fetch.PerHost
}
