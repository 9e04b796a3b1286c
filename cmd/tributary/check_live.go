package main

import (
	"context"
	"io"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/report"
)

// liveChecks is how many sources check --live reads at once: a portal
// of a few hundred members is checked in minutes, and no member site
// sees more than one request of it at a time (sources of one site are
// few, and the fetcher bounds requests per host).
const liveChecks = 4

// checkLive previews every source of cfg once and prints, in the
// config's order, what each reads and its warnings; 1 when any source
// could not be read.
func checkLive(ctx context.Context, cfg *config.Config, w io.Writer) int {
	sources := cfg.Sources()
	results, errs := newPreviewer(cfg, nil).PreviewAll(ctx, sources, liveChecks)
	if report.LiveChecks(w, sources, results, errs, warningText) > 0 {
		return exitError
	}
	return exitOK
}
