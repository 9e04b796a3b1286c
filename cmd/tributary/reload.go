package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"reflect"
	"slices"
	"syscall"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/registry"
)

// defaultWatchInterval is how often the config file is checked for a
// change: cheap (a stat and a hash of a small file) and quick enough for
// an operator who just saved it.
const defaultWatchInterval = 2 * time.Second

// reloadOptions says where a running daemon re-reads its config from; an
// empty path (the demo) turns reloading off.
type reloadOptions struct {
	path   string
	getenv func(string) string
	// interval overrides defaultWatchInterval (tests).
	interval time.Duration
	// onReload, when set, receives the outcome of every reload (tests).
	onReload func(error)
}

// reloader applies config changes to a running daemon on SIGHUP and when
// the file changes: the scheduler diffs its sources (new ones start,
// removed ones stop, changed ones re-register, unchanged ones keep their
// state and phase) and the HTTP server swaps its sections. A config that
// fails validation is refused and the running one kept. Settings bound at
// start (listen address, store, fetcher, logging, …) are reported as
// needing a restart and otherwise ignored.
type reloader struct {
	opts   reloadOptions
	logger *slog.Logger
	// reg merges the file's sources with the admin API's and hands the
	// result to the scheduler and the HTTP server.
	reg     *registry.Registry
	running *config.Config // the config the daemon started with
	stamp   fileStamp
	// files are the config file and the files it included when last
	// loaded: an edit of any of them is a change.
	files []string
	// setToken hands a changed admin.token to the HTTP handler, a full
	// server's or a poll-only instance's (nil: none to tell); token is
	// the one in force.
	setToken func(string)
	token    string
	// setPerSourceLimit hands metrics.per_source_limit to /metrics (nil:
	// none to tell).
	setPerSourceLimit func(int)
}

func newReloader(opts reloadOptions, cfg *config.Config, reg *registry.Registry, logger *slog.Logger) *reloader {
	if opts.interval <= 0 {
		opts.interval = defaultWatchInterval
	}
	if opts.getenv == nil {
		opts.getenv = os.Getenv
	}
	r := &reloader{opts: opts, logger: logger, reg: reg, running: cfg, token: cfg.Admin.Token}
	r.files = append([]string{opts.path}, cfg.Files...)
	r.stamp, _ = statFiles(r.files)
	return r
}

// run reloads on every SIGHUP and every change of the file until ctx ends.
// SIGHUP is caught only while run runs; the caller starts it before the
// daemon reports that it is up.
func (r *reloader) run(ctx context.Context, hup <-chan os.Signal) {
	tick := time.NewTicker(r.opts.interval)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-hup:
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

// reload loads and applies the file once.
func (r *reloader) reload(ctx context.Context, reason string) {
	err := r.apply(ctx, reason)
	if err != nil {
		// The error names the file and line (config.Load's format).
		r.logger.Error("config reload refused; keeping the running config", "reason", reason, "err", err)
	}
	if r.opts.onReload != nil {
		r.opts.onReload(err)
	}
}

func (r *reloader) apply(ctx context.Context, reason string) error {
	cfg, err := config.Load(r.opts.path, r.opts.getenv)
	if err != nil {
		return err
	}
	r.warnRestart(cfg)
	if files := append([]string{r.opts.path}, cfg.Files...); !slices.Equal(files, r.files) {
		r.files = files
		r.stamp, _ = statFiles(files)
	}
	added, removed, changed, err := r.reg.SetFile(ctx, cfg)
	if err != nil {
		return fmt.Errorf("%s: %w", cfg.Path, err)
	}
	r.applyToken(cfg.Admin.Token)
	if r.setPerSourceLimit != nil {
		r.setPerSourceLimit(cfg.Metrics.PerSourceLimit)
	}
	sources, sections := r.reg.Merged()
	r.logger.Info("config reloaded", "reason", reason, "sections", len(sections), "sources", len(sources),
		"sources_added", added, "sources_removed", removed, "sources_changed", changed)
	return nil
}

// applyToken hands a new admin.token (from the file or
// TRIBUTARY_ADMIN_TOKEN, both read again) to the server, which checks
// the next request against it. The token itself is never logged.
func (r *reloader) applyToken(token string) {
	if token == r.token || r.setToken == nil {
		return
	}
	r.setToken(token)
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

// warnRestart logs each setting that differs from the running config but
// is bound at start, so only a restart applies it.
func (r *reloader) warnRestart(cfg *config.Config) {
	was := restartOnly(r.running)
	for i, s := range restartOnly(cfg) {
		if !reflect.DeepEqual(s.value, was[i].value) {
			r.logger.Warn("config change needs a restart; ignored until then", "key", s.key)
		}
	}
}

// setting is one config value read only at start.
type setting struct {
	key   string
	value any
}

// restartOnly lists what the daemon reads once at start: the listener and
// self links, the store, the fetcher and scheduler limits, the normalizer,
// the HTTP options and logging. (defaults.timezone still applies to
// sources on reload; it is listed for the HTML pages' dates. admin.token
// applies on reload: see applyToken.)
func restartOnly(c *config.Config) []setting {
	// A base_url derived from listen follows it: a new listen alone is
	// one change, named after what the operator edited.
	var baseURL any = c.BaseURL
	if c.BaseURLFromListen() {
		baseURL = "derived from listen"
	}
	return []setting{
		{"listen", c.Listen}, {"base_url", baseURL}, {"redis", c.Redis}, {"storage", c.Storage},
		{"fetch", c.Fetch}, {"http", c.HTTP}, {"ui", c.UI}, {"site", c.Site}, {"websub", c.WebSub}, {"log", c.Log},
		{"admin.allow_private", c.Admin.AllowPrivate},
		{"metrics", c.Metrics}, {"limits", c.Limits}, {"alerts", c.Alerts},
		{"defaults.timezone", c.Defaults.Timezone}, {"defaults.max_interval", c.Defaults.MaxInterval},
		{"defaults.summary_length", c.Defaults.SummaryLength}, {"defaults.tracking_params", c.Defaults.TrackingParams},
	}
}

// fileStamp identifies a version of the config files: mtimes and sizes
// catch most edits, the hash those within one mtime tick of the same size.
type fileStamp struct {
	hash [sha256.Size]byte
}

// statFiles stamps the config file and its included files together. A
// file added to an included directory is not seen until the main file
// changes or SIGHUP: listing directories every tick would cost more than
// the change is worth.
func statFiles(paths []string) (fileStamp, error) {
	h := sha256.New()
	for _, path := range paths {
		fi, err := os.Stat(path)
		if err != nil {
			return fileStamp{}, err
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return fileStamp{}, err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(h, "%s\x00%d\x00%d\x00%x\x00", path, fi.ModTime().UnixNano(), fi.Size(), sum)
	}
	var st fileStamp
	h.Sum(st.hash[:0])
	return st, nil
}
