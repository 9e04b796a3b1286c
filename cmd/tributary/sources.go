package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/registry"
	"github.com/tributary-rss/tributary/aggregator/report"
	"github.com/tributary-rss/tributary/aggregator/store/storeopen"
)

const sourcesUsage = `Usage: tributary sources [--config FILE]

Prints every configured source's polling status from the store (the same
Redis as the daemon, or the embedded store's snapshot): its name (the
config's title, else the feed's own), state, last HTTP status, errors in a
row, next due time (in defaults.timezone, with its zone), stored entries,
when it last published (FRESHNESS: "3d" for three days since its newest
entry, "stale 40d" past its stale_after, "never" for none), the last error
and its URL, followed by "(list detected: SELECTOR)" for a list page read
by detection. Failing sources come first, as on the /status page. Columns
line up as a terminal draws Chinese (two columns a character). With the
embedded store it reads the snapshot file and never writes it, so it runs
beside the daemon (whose latest state is there once it has written a
snapshot).

Examples:
  tributary sources --config tributary.yaml
  TRIBUTARY_REDIS_URL=redis://127.0.0.1:6379/0 tributary sources

Flags:
`

func cmdSources(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sources", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default $TRIBUTARY_CONFIG, else ./tributary.yaml)")
	fs.Usage = func() { fmt.Fprint(stderr, sourcesUsage); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	cfg, err := config.Load(configPath(*cfgPath), os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	statuses, err := readStatuses(ctx, cfg, stderr)
	if err != nil {
		fmt.Fprintln(stderr, "tributary sources:", err)
		return exitError
	}
	loc, err := time.LoadLocation(cfg.Defaults.Timezone)
	if err != nil {
		fmt.Fprintln(stderr, "tributary sources: defaults.timezone:", err)
		return exitError
	}
	_ = report.Statuses(stdout, statuses, time.Now(), loc)
	return exitOK
}

func readStatuses(ctx context.Context, cfg *config.Config, stderr io.Writer) ([]model.SourceStatus, error) {
	st, closeStore, err := storeopen.OpenReadOnly(cfg, newConfigLogger(stderr, config.LogConfig{Level: "warn", Format: cfg.Log.Format}))
	if err != nil {
		return nil, err
	}
	defer closeStore()
	reg := registry.New(st, cfg, registry.Options{AllowPrivate: cfg.Admin.AllowPrivate, ReadOnly: true})
	if err := reg.Refresh(ctx); err != nil {
		return nil, err
	}
	return reg.Statuses(ctx)
}
