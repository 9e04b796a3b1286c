package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"sync"
	"syscall"
	"time"

	"github.com/tributary-rss/tributary/aggregator/alert"
	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/config/reload"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/registry"
	"github.com/tributary-rss/tributary/aggregator/scheduler"
	"github.com/tributary-rss/tributary/aggregator/store/snapshotguard"
	"github.com/tributary-rss/tributary/aggregator/store/storeopen"
	"github.com/tributary-rss/tributary/publish"
)

// shutdownGrace bounds the whole shutdown after a signal, so the process
// is gone before a supervisor's SIGKILL would lose the final snapshot.
// In-flight polls and requests may take all of it but storeReserve, which
// is left for the background loops to stop and the store to close (the
// embedded store writes its snapshot then: about 2 s for 100,000 entries).
const (
	shutdownGrace = 30 * time.Second
	storeReserve  = 10 * time.Second
)

// daemonHooks lets tests observe a running daemon.
type daemonHooks struct {
	onListen func(addr net.Addr)
	onPoll   func(poll.Result)
	// recheck overrides the render cache's version re-check interval.
	recheck time.Duration
	// readHeaderTimeout overrides the HTTP server's ReadHeaderTimeout, so
	// the slowloris test need not wait the real 5 s.
	readHeaderTimeout time.Duration
	// role selects what runs (see role.go); empty is roleAll.
	role role
	// reload, when its Path is set, reloads the config on SIGHUP and when
	// the file changes.
	reload reload.Options
	// resetCheck overrides how often the store-reset watcher looks for
	// its marker (scheduler.DefaultResetCheck).
	resetCheck time.Duration
	// adminRefresh overrides how often API sources are re-read
	// (registry.DefaultRefresh).
	adminRefresh time.Duration
	// beforeTrigger runs before this instance acts on a poll request, so
	// a test can make it hear the request late.
	beforeTrigger func()
	// snapshotCheck overrides how often the snapshot's directory is
	// re-checked for writability (snapshotguard.DefaultCheckEvery).
	snapshotCheck time.Duration
}

// runDaemon runs the poller and the HTTP server until ctx is done (only
// the parts hooks.role selects: see role.go), then shuts down in order:
//  1. the scheduler: no new polls start, running ones finish (they write
//     to the store);
//  2. the HTTP server: in-flight requests complete (they read the store);
//  3. the store last, after every writer and reader has stopped, so the
//     embedded store's final snapshot holds everything.
func runDaemon(ctx context.Context, cfg *config.Config, logger *slog.Logger, hooks daemonHooks) error {
	// The snapshot's lock is released after the store's final snapshot
	// (deferred calls run in reverse).
	guard, err := snapshotguard.New(cfg, logger)
	if err != nil {
		return err
	}
	defer guard.Release()
	st, closeStore, err := storeopen.Open(cfg, logger)
	if err != nil {
		return err
	}
	defer closeStore()
	if err := st.Ping(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}

	// The sources are the config file's plus those added through the
	// admin API, which live in the store (see package registry).
	// The admin API's discover and preview (and its check that an added
	// page offers a feed) fetch with their own fetcher: a look at a site
	// must not wait behind polls for a per-host slot. They parse HTML
	// within the same limiter as polls: together, no more pages at once.
	pages := parse.NewLimiter(parse.DefaultConcurrency)
	reg := registry.New(st, cfg, registry.Options{AllowPrivate: cfg.Admin.AllowPrivate, Logger: logger, Refresh: hooks.adminRefresh,
		Preview: newPreviewer(cfg, pages), AllowListeners: cfg.Fetch.AllowListeners})
	if err := reg.Refresh(ctx); err != nil {
		return fmt.Errorf("store: %w", err)
	}
	// Sources dropped from a section while no daemon ran take their
	// entries out of it now (see registry.Reconcile).
	reg.Reconcile(ctx)
	sources, sections := reg.Merged()
	rl := cmp.Or(hooks.role, roleAll)
	metrics, err := newDaemonMetrics(st, sources, sections, logger)
	if err != nil {
		return err
	}
	metrics.SetPerSourceLimit(cfg.Metrics.PerSourceLimit)
	// A serve-only instance has no scheduler at all: it cannot poll, nor
	// alert (the instance that polls a source decides its alerts).
	var sched *scheduler.Scheduler
	var alerts *alert.Observer
	if rl.polls() {
		merged := func() []model.Source { srcs, _ := reg.Merged(); return srcs }
		if alerts, err = newAlerter(cfg, merged, logger); err != nil {
			return err
		}
		if sched, err = newScheduler(cfg, sources, sections, st, logger, metrics, alertHook(alerts, hooks.onPoll), pages); err != nil {
			return err
		}
	}

	loc, err := time.LoadLocation(cfg.Defaults.Timezone)
	if err != nil {
		return fmt.Errorf("defaults.timezone: %w", err)
	}
	ready := readiness(cfg, st, guard)
	proxies, err := trustedProxies(cfg.HTTP.TrustedProxies)
	if err != nil {
		return err
	}
	srv := publish.NewServer(st, publish.Options{
		BaseURL: cfg.BaseURL, Sections: sections, Logger: logger, Version: version, Ready: ready, Location: loc,
		CacheMaxAge: time.Duration(cfg.HTTP.CacheMaxAge), UILang: cfg.UI.Lang, CORSOrigin: cfg.HTTP.CORSOrigin,
		WebSubHub: cfg.WebSub.Hub, Sources: sources, RecheckInterval: hooks.recheck, RenderCacheBytes: cfg.HTTP.RenderCacheBytes,
		MaxPageBytes: cfg.HTTP.MaxPageBytes, RenderConcurrency: cfg.HTTP.RenderConcurrency,
		Status: st, Activity: st, // /status, /api/v1/sources and the freshness report
		Metrics: serverMetrics(metrics, cfg),
		Admin:   reg, AdminToken: cfg.Admin.Token, TrustedProxies: proxies,
		SecretParams: cfg.HTTP.SecretParams,
		Site:         siteOptions(cfg.Site), DateFormat: cfg.UI.DateFormat, DateFormatCurrentYear: cfg.UI.DateFormatCurrentYear,
	})
	reg.OnChange(func(sources []model.Source, sections []model.Section) (added, removed, changed int, err error) {
		if sched != nil {
			if added, removed, changed, err = sched.Update(sources, sections); err != nil {
				return 0, 0, 0, err
			}
		}
		if err = srv.SetSections(sections, sources); err == nil {
			metrics.SetSections(sections, sources)
		}
		return added, removed, changed, err
	})
	// A poll-only instance serves health and metrics, nothing else.
	var handler http.Handler = srv
	setToken := srv.SetAdminToken
	if !rl.serves() {
		ops := publish.NewOpsHandler(publish.Options{Ready: ready, Metrics: serverMetrics(metrics, cfg),
			AdminToken: cfg.Admin.Token, Admin: reg, TrustedProxies: proxies, Logger: logger})
		handler, setToken = ops, ops.SetAdminToken
	}
	handler = metrics.Instrument(handler)
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen %s: %w", cfg.Listen, err)
	}
	httpSrv := publish.NewHTTPServer(handler)
	if hooks.readHeaderTimeout > 0 {
		httpSrv.ReadHeaderTimeout = hooks.readHeaderTimeout
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := httpSrv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Error("http server", "err", err)
		}
	})
	evCtx, stopEvents := context.WithCancel(ctx)
	defer stopEvents()
	wg.Go(func() { guard.Run(evCtx, hooks.snapshotCheck) })
	// Alerts of the last polls before shutdown are still queued when
	// evCtx ends, after the scheduler stopped: they get one last try.
	wg.Go(func() { alerts.Run(evCtx) })
	var websub *publish.WebSubNotifier
	if cfg.WebSub.Hub != "" && rl.serves() {
		websub = publish.NewWebSubNotifier(cfg.WebSub.Hub, cfg.BaseURL, nil, logger)
		wg.Go(func() { websub.Run(evCtx) })
	}
	// Change events drop cached renders at once; srv.Run re-checks versions
	// to cover events lost while the pub/sub connection was down.
	if rl.serves() {
		wg.Go(func() { srv.Run(evCtx) })
		wg.Go(func() {
			for id := range st.Subscribe(evCtx) {
				srv.Invalidate(id)
				if websub != nil {
					websub.Enqueue(id)
				}
			}
		})
	}
	logger.Info("serving", "addr", ln.Addr().String(), "base_url", cfg.BaseURL, "role", string(rl),
		"sections", len(sections), "sources", len(sources), "admin_api", cfg.Admin.Token != "" && rl.serves())
	// The reloader notes the file's version and catches SIGHUP before the
	// daemon reports it is up; it runs once the scheduler has started.
	var rel *reload.Reloader
	if hooks.reload.Path != "" {
		rel = reload.New(hooks.reload, cfg, reg, logger)
		rel.SetToken = setToken
		rel.SetPerSourceLimit = metrics.SetPerSourceLimit
	}
	// Subscribed before the daemon reports it is up, so an admin request
	// made as soon as it answers is not lost; handled once polling runs.
	adminEvents := reg.Subscribe(evCtx)
	hup, stopHUP := notifyHUP(rel != nil)
	defer stopHUP()
	if hooks.onListen != nil {
		hooks.onListen(ln.Addr())
	}
	if sched != nil {
		// Before the first poll, so no poll's count is overwritten.
		recountOnce(ctx, st, sources, logger)
	}
	if err := startScheduler(ctx, sched); err != nil {
		httpSrv.Close()
		stopEvents()
		wg.Wait()
		return err
	}
	if rel != nil {
		wg.Go(func() { rel.Run(ctx, hup) })
	}
	// Admin API changes and poll requests made on any instance.
	var trigger func([]string) []string
	if sched != nil {
		trigger = sched.Trigger
		if hooks.beforeTrigger != nil {
			trigger = func(ids []string) []string { hooks.beforeTrigger(); return sched.Trigger(ids) }
		}
	}
	wg.Go(func() { reg.Run(evCtx, adminEvents, trigger) })
	if sched != nil {
		merged := func() []model.Source { srcs, _ := reg.Merged(); return srcs }
		wg.Go(func() { recountSourceStates(evCtx, st, merged, logger) })
		// Redis restarted empty: re-poll every source at once.
		w := &scheduler.ResetWatcher{Store: st, Every: hooks.resetCheck, OnReset: sched.RepollAll, Logger: logger}
		wg.Go(func() { w.Run(evCtx) })
	}

	<-ctx.Done()
	logger.Info("shutting down")
	sdCtx, cancel := context.WithTimeout(context.Background(), shutdownGrace-storeReserve)
	defer cancel()
	if sched != nil {
		sched.Stop(sdCtx)
	}
	if err := httpSrv.Shutdown(sdCtx); err != nil {
		logger.Warn("http shutdown", "err", err)
	}
	stopEvents()
	// The event listener and the re-check loop only read; should one be
	// stuck in a Redis read that ignores its context, closing the store
	// (deferred above) unblocks it, so do not let it hold the exit.
	if !waitGroupTimeout(&wg, 5*time.Second) {
		logger.Warn("background loops still running at shutdown; closing the store under them")
	}
	return nil
}

// waitGroupTimeout waits for wg up to d and reports whether it finished.
func waitGroupTimeout(wg *sync.WaitGroup, d time.Duration) bool {
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return true
	case <-time.After(d):
		return false
	}
}

// notifyHUP starts delivering SIGHUP to the returned channel when on;
// stop undoes it, so SIGHUP acts as it does by default again. Off, the
// channel never delivers.
func notifyHUP(on bool) (hup <-chan os.Signal, stop func()) {
	ch := make(chan os.Signal, 1)
	if !on {
		return ch, func() {}
	}
	signal.Notify(ch, syscall.SIGHUP)
	return ch, func() { signal.Stop(ch) }
}
