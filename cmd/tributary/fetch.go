package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/registry"
	"github.com/tributary-rss/tributary/aggregator/report"
	"github.com/tributary-rss/tributary/aggregator/store/snapshotguard"
	"github.com/tributary-rss/tributary/aggregator/store/storeopen"
)

const fetchUsage = `Usage: tributary fetch [--config FILE] [--section ID] [--source URL]

Polls the configured sources (and those added through the admin API) now, once, against the configured store (the
same Redis as the daemon, or the embedded store's snapshot), and prints per
source what happened: new, updated and unchanged entries, not modified, or
the error. A source another instance is polling right now is skipped. On a
terminal a progress bar runs below the lines. Exits 1 if any source failed.
With the embedded store it refuses to run (exit 1) while a daemon holds
the snapshot file, which both would write: ask the running daemon to poll
through the admin API (POST /api/v1/admin/sources/{id}/poll) instead.

Examples:
  tributary fetch --config tributary.yaml
  tributary fetch --config tributary.yaml --section news
  tributary fetch --config tributary.yaml --source https://example.com/feed.xml

Flags:
`

func cmdFetch(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("fetch", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default $TRIBUTARY_CONFIG, else ./tributary.yaml)")
	section := fs.String("section", "", "only the sources of this section")
	source := fs.String("source", "", "only the source with this URL")
	fs.Usage = func() { fmt.Fprint(stderr, fetchUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tributary fetch: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	cfg, err := config.Load(configPath(*cfgPath), os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	// Poll failures are the output's lines already; a warn log would
	// repeat them and break the progress bar.
	logger := newConfigLogger(stderr, config.LogConfig{Level: "error", Format: cfg.Log.Format})
	failed, err := fetchOnce(ctx, cfg, *section, *source, logger, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "tributary fetch:", err)
		return exitError
	}
	if failed > 0 {
		return exitError
	}
	return exitOK
}

// fetchOnce polls the selected sources (the config's and those added
// through the admin API) once, concurrently within the config's limits,
// reporting each result on stdout. It returns how many failed.
func fetchOnce(ctx context.Context, cfg *config.Config, section, url string, logger *slog.Logger, stdout io.Writer) (int, error) {
	// Released after the store's final snapshot (deferred calls run in
	// reverse).
	release, err := snapshotguard.LockForWrite(cfg)
	if err != nil {
		return 0, err
	}
	defer release()
	st, closeStore, err := storeopen.Open(cfg, logger)
	if err != nil {
		return 0, err
	}
	defer closeStore()
	if err := st.Ping(ctx); err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	reg := registry.New(st, cfg, registry.Options{AllowPrivate: cfg.Admin.AllowPrivate, Logger: logger})
	if err := reg.Refresh(ctx); err != nil {
		return 0, fmt.Errorf("store: %w", err)
	}
	all, sections := reg.Merged()
	sources, err := registry.Select(all, sections, section, url)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", cfg.Path, err)
	}
	sched, err := newScheduler(cfg, all, sections, st, logger, nil, nil, nil)
	if err != nil {
		return 0, err
	}
	p := report.NewProgress(stdout, len(sources))
	sched.PollMany(ctx, sources, func(src model.Source, res poll.Result, ok bool) {
		p.Report(reportPoll(src, res, ok))
	})
	return p.Finish(), nil
}

// reportPoll is what the fetch report shows of a poll of src; polled is
// false when another instance was polling it.
func reportPoll(src model.Source, res poll.Result, polled bool) report.Poll {
	p := report.Poll{URL: src.URL, Skipped: !polled, Failed: res.Err != nil, NotModified: res.NotModified, SameBody: res.SameBody,
		New: res.New, Updated: res.Updated, Unchanged: res.Unchanged, Status: res.Status, Duration: res.Duration}
	if p.Failed {
		p.Reason = poll.Reason(res.Err)
	}
	return p
}
