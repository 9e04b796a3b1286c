package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/scheduler"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/snapshotguard"
	"github.com/tributary-rss/tributary/publish"
	"github.com/tributary-rss/tributary/publish/metrics"
)

// role says which halves of the daemon an instance runs, so pollers and
// HTTP frontends can be scaled separately against one Redis.
type role string

const (
	roleAll   role = "all"   // poll and serve
	rolePoll  role = "poll"  // poll; serve only /healthz, /readyz, /metrics
	roleServe role = "serve" // serve; never poll (no scheduler at all)
)

func parseRole(s string) (role, error) {
	switch r := role(s); r {
	case roleAll, rolePoll, roleServe:
		return r, nil
	case "":
		return roleAll, nil
	}
	return "", fmt.Errorf("--role must be all, poll or serve, got %q", s)
}

func (r role) polls() bool  { return r != roleServe }
func (r role) serves() bool { return r != rolePoll }

// newDaemonMetrics builds the registry behind /metrics: Tributary's own
// series, the store-backed gauges, Redis errors (a hook on the store's
// client), the build info and the Go runtime and process collectors.
func newDaemonMetrics(st *store.Store, sources []model.Source, sections []model.Section, logger *slog.Logger) (*metrics.Metrics, error) {
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	m, err := metrics.NewMetrics(reg)
	if err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	st.Client().AddHook(m.RedisHook())
	if err := m.CollectStore(st, sections, sources, logger); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	if err := m.RegisterBuildInfo(version); err != nil {
		return nil, fmt.Errorf("metrics: %w", err)
	}
	return m, nil
}

// serverMetrics hands the server what it needs of m: the /metrics
// handler (behind the admin token with metrics.require_token) and the
// render cache counters. Requests are counted by m.Instrument around the
// whole handler.
func serverMetrics(m *metrics.Metrics, cfg *config.Config) *publish.Metrics {
	return &publish.Metrics{Handler: m.Handler(), RequireToken: cfg.Metrics.RequireToken, Cache: m}
}

// newScheduler wires the poll pipeline for sources and sections (the
// config's and the admin API's, see package registry): a fetcher of its
// own, normalizer, poller and the scheduler with the config's polling policy.
// Every poll result goes to the metrics, then to onPoll (tests, the fetch
// command) when set. The poller parses HTML within pages when given (the
// daemon shares it with its previews), else within a limiter of its own.
func newScheduler(cfg *config.Config, sources []model.Source, sections []model.Section, st *store.Store, logger *slog.Logger,
	m *metrics.Metrics, onPoll func(poll.Result), pages *parse.Limiter) (*scheduler.Scheduler, error) {
	norm := newNormalizer(cfg)
	poller := poll.New(st, newFetcher(cfg), norm, sections, logger)
	if pages != nil {
		poller.HTML = pages
	}
	sched, err := scheduler.New(poller, dueset.New(st.Client(), st.Keys().Prefix, cfg.Scheduler.Shards), sources, cfg.Fetch.Concurrency, logger)
	if err != nil {
		return nil, err
	}
	sched.OnPoll = func(res poll.Result) {
		m.ObservePoll(metrics.Poll{Failed: res.Err != nil, NotModified: res.NotModified, SameBody: res.SameBody,
			FetchDuration: res.FetchDuration, Bytes: res.Bytes, New: res.New, Updated: res.Updated, Gone: res.Gone})
		if onPoll != nil {
			onPoll(res)
		}
	}
	configurePolling(sched, cfg)
	return sched, nil
}

// readiness backs /readyz: ready once a validated config is loaded,
// while the embedded store's snapshot can be written (a reason the
// operator fixes on the host, so /readyz names it) and while the store
// answers.
func readiness(cfg *config.Config, st *store.Store, guard *snapshotguard.Guard) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if cfg == nil {
			return fmt.Errorf("config not loaded")
		}
		if err := guard.Err(); err != nil {
			return &publish.ReadyError{Reason: "snapshot " + guard.Path() + " not writable", Err: err}
		}
		if err := st.Ping(ctx); err != nil {
			return fmt.Errorf("store: %w", err)
		}
		return nil
	}
}

// startScheduler starts sched; a nil one (serve-only) has nothing to start.
func startScheduler(ctx context.Context, sched *scheduler.Scheduler) error {
	if sched == nil {
		return nil
	}
	return sched.Start(ctx)
}
