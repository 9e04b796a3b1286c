// Package reload applies config changes to a running daemon, on a
// signal and when the config file (or a file it includes) changes: the
// registry diffs its sources and hands the result on (new sources start,
// removed ones stop, changed ones re-register, unchanged ones keep their
// state and phase), admin.token and metrics.per_source_limit are handed
// to their owners, and a config that fails validation is refused while
// the running one is kept.
//
// It decides what a reload may apply: settings bound at start (listen
// address, store, fetcher, logging, …) are logged as needing a restart
// and otherwise ignored. It never catches signals (cmd does, and hands
// them in) nor starts or stops anything itself.
package reload

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"slices"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// DefaultWatchInterval is how often the config file is checked for a
// change: cheap (a stat and a hash of a small file) and quick enough for
// an operator who just saved it.
const DefaultWatchInterval = 2 * time.Second

// Options says where a running daemon re-reads its config from; an empty
// Path (the demo) turns reloading off.
type Options struct {
	Path string
	// Getenv reads the environment as config.Load does (nil: os.Getenv).
	Getenv func(string) string
	// Interval overrides DefaultWatchInterval (tests).
	Interval time.Duration
	// OnReload, when set, receives the outcome of every reload (tests).
	OnReload func(error)
}

// Registry is what a reload changes: it merges the file's sources with
// the admin API's and hands the result to the scheduler and the HTTP
// server.
type Registry interface {
	SetFile(ctx context.Context, cfg *config.Config) (added, removed, changed int, err error)
	Merged() ([]model.Source, []model.Section)
}

// Reloader reloads the config on a signal and when its files change. Its
// exported fields are set before Run.
type Reloader struct {
	// SetToken hands a changed admin.token to the HTTP handler, a full
	// server's or a poll-only instance's (nil: none to tell).
	SetToken func(string)
	// SetPerSourceLimit hands metrics.per_source_limit to /metrics (nil:
	// none to tell).
	SetPerSourceLimit func(int)

	opts    Options
	logger  *slog.Logger
	reg     Registry
	running *config.Config // the config the daemon started with
	stamp   fileStamp
	// files are the config file and the files it included when last
	// loaded: an edit of any of them is a change.
	files []string
	token string // the admin token in force
}

// New returns a Reloader of the daemon started with cfg. It notes the
// files' version now: the caller makes it before the daemon reports it
// is up, so an edit made once it answers is a change.
func New(opts Options, cfg *config.Config, reg Registry, logger *slog.Logger) *Reloader {
	if opts.Interval <= 0 {
		opts.Interval = DefaultWatchInterval
	}
	if opts.Getenv == nil {
		opts.Getenv = os.Getenv
	}
	r := &Reloader{opts: opts, logger: logger, reg: reg, running: cfg, token: cfg.Admin.Token}
	r.files = append([]string{opts.Path}, cfg.Files...)
	r.stamp, _ = statFiles(r.files)
	return r
}

// Run reloads on every value of signals (SIGHUP, which the caller
// catches) and every change of the files until ctx ends.
func (r *Reloader) Run(ctx context.Context, signals <-chan os.Signal) {
	tick := time.NewTicker(r.opts.Interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-signals:
			r.stamp, _ = statFiles(r.files)
			r.reload(ctx, "SIGHUP")
		case <-tick.C:
			if st, err := statFiles(r.files); err == nil && st != r.stamp {
				// A file missing for a moment (an editor renaming over it)
				// is not a change: the next tick sees the new one.
				r.stamp = st
				r.reload(ctx, "file changed")
			}
		}
	}
}

// reload loads and applies the file once.
func (r *Reloader) reload(ctx context.Context, reason string) {
	err := r.apply(ctx, reason)
	if err != nil {
		// The error names the file and line (config.Load's format).
		r.logger.Error("config reload refused; keeping the running config", "reason", reason, "err", err)
	}
	if r.opts.OnReload != nil {
		r.opts.OnReload(err)
	}
}

func (r *Reloader) apply(ctx context.Context, reason string) error {
	cfg, err := config.Load(r.opts.Path, r.opts.Getenv)
	if err != nil {
		return err
	}
	r.warnRestart(cfg)
	if files := append([]string{r.opts.Path}, cfg.Files...); !slices.Equal(files, r.files) {
		r.files = files
		r.stamp, _ = statFiles(files)
	}
	added, removed, changed, err := r.reg.SetFile(ctx, cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.Path, err)
	}
	r.applyToken(cfg.Admin.Token)
	if r.SetPerSourceLimit != nil {
		r.SetPerSourceLimit(cfg.Metrics.PerSourceLimit)
	}
	sources, sections := r.reg.Merged()
	r.logger.Info("config reloaded", "reason", reason, "sections", len(sections), "sources", len(sources),
		"sources_added", added, "sources_removed", removed, "sources_changed", changed)
	return nil
}

// applyToken hands a new admin.token (from the file or
// TRIBUTARY_ADMIN_TOKEN, both read again) to the server, which checks
// the next request against it. The token itself is never logged.
func (r *Reloader) applyToken(token string) {
	if token == r.token || r.SetToken == nil {
		return
	}
	r.SetToken(token)
	switch {
	case r.token == "":
		r.logger.Info("admin token set: the admin API is on")
	case token == "":
		r.logger.Info("admin token removed: the admin API is off and the operator pages are open")
	default:
		r.logger.Info("admin token changed: requests with the old one are refused")
	}
	r.token = token
}
