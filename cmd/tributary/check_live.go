package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
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
	failed, warned := 0, 0
	for i, src := range sources {
		if errs[i] != nil {
			failed++
		}
		if len(results[i].Warnings) > 0 {
			warned++
		}
		printLiveCheck(w, src, results[i], errs[i])
	}
	fmt.Fprintf(w, "read %s live: %d ok, %d failed, %d with warnings\n", plural(len(sources), "source", "sources"), len(sources)-failed, failed, warned)
	if failed > 0 {
		return exitError
	}
	return exitOK
}

// printLiveCheck writes one source's line and its warnings.
func printLiveCheck(w io.Writer, src model.Source, p model.Preview, err error) {
	if err != nil {
		fmt.Fprintf(w, "FAILED  %s  %s: %s\n", src.ID, src.URL, oneLine(p.Error))
		return
	}
	what := fmt.Sprintf("%s, %s", strings.TrimSuffix(kindText(p.Kind), ":"), plural(len(p.Entries), "entry", "entries"))
	if p.Detected != nil {
		what += ", list detected: " + p.Detected.Items
	}
	fmt.Fprintf(w, "ok      %s  %s (%s)\n", src.ID, src.URL, what)
	for _, lw := range p.Warnings {
		fmt.Fprintf(w, "        warning: %s\n", warningText(lw, len(p.Entries)))
	}
}
