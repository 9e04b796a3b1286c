package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/opml"
	"github.com/tributary-rss/tributary/aggregator/store/storeopen"
)

const opmlUsage = `Usage:
  tributary opml import FILE (--section ID | --folders [--section ID]) [--write] [--config FILE]
  tributary opml export [--config FILE] [--section ID]

import reads an OPML subscription list and prints its feeds as the YAML of
sections' sources. Titles come from each outline's title, else its text.
feed:// and feed:https:// URLs are read as http:// and https:// (with a
warning). With --section every feed goes into that section. With --folders
each folder of the file goes into the section titled like it, or whose id
is the folder's slug ("Local News" → local-news; a name that is not ASCII
gets a stable s-<6 hex>), a new section titled with the folder's text when
there is none; feeds outside folders go into --section.

With --write the feeds are added to the config file itself (comments and
layout are kept; feeds a section already lists are skipped; new sections
go at the end of its sections list) after checking that the result is a
valid config. An entry that cannot be a source (not an http(s) URL, …) is
reported at its line in FILE and left out while the others are imported;
the command then exits 1. A result that would be invalid is not written.

export prints the config's sources as OPML 2.0, one outline per section.
A source's title is the config's, else the feed's own title as the store
(the same Redis as the daemon, or the embedded store's snapshot) last saw
it; htmlUrl is the feed's site link from the store. Source URLs keep their
credentials: the export is the operator's copy (the daemon's /opml hides
them).

Examples:
  tributary opml import subscriptions.opml --section news
  tributary opml import freshrss.opml --folders --write --config tributary.yaml
  tributary opml export --config tributary.yaml > tributary.opml
`

func cmdOPML(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, opmlUsage)
		return exitUsage
	}
	switch args[0] {
	case "import":
		return cmdOPMLImport(args[1:], stdout, stderr)
	case "export":
		return cmdOPMLExport(ctx, args[1:], stdout, stderr)
	case "-h", "--help", "help":
		fmt.Fprint(stderr, opmlUsage)
		return exitOK
	}
	fmt.Fprintf(stderr, "tributary opml: unknown subcommand %q\n\n%s", args[0], opmlUsage)
	return exitUsage
}

func cmdOPMLImport(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("opml import", flag.ContinueOnError)
	fs.SetOutput(stderr)
	section := fs.String("section", "", "section the feeds go into (with --folders: those outside folders)")
	folders := fs.Bool("folders", false, "map the file's folders to sections, created as needed")
	write := fs.Bool("write", false, "add the feeds to the config file instead of printing them")
	cfgPath := fs.String("config", "", "config file (default $TRIBUTARY_CONFIG, else ./tributary.yaml)")
	fs.Usage = func() { fmt.Fprint(stderr, opmlUsage+"\nFlags of import:\n"); fs.PrintDefaults() }
	// The FILE operand may come before the flags: flag stops at it.
	var file string
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		file, args = args[0], args[1:]
	}
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	if file == "" && fs.NArg() == 1 {
		file = fs.Arg(0)
	} else if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "tributary opml import: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	if file == "" || *section == "" && !*folders {
		fmt.Fprint(stderr, "tributary opml import: need FILE and --section ID or --folders\n\n"+opmlUsage)
		return exitUsage
	}
	list, err := opml.Read(file)
	if err != nil {
		fmt.Fprintln(stderr, "tributary opml import:", err)
		return exitError
	}
	path := configPath(*cfgPath)
	cfg, err := config.Load(path, os.Getenv)
	switch {
	case err != nil && *write:
		fmt.Fprintf(stderr, "tributary opml import: the config is invalid before the merge:\n%v\n", err)
		return exitError
	case err != nil:
		cfg = nil // a preview needs no config: every section reads as new
	case *write && *section != "" && !opml.SectionExists(cfg, *section):
		fmt.Fprintf(stderr, "tributary opml import: no section %q in the config; add it first (or print the YAML without --write)\n", *section)
		return exitError
	}
	plan := opml.PlanImport(list, cfg, *section, *folders)
	for _, n := range list.Warnings {
		fmt.Fprintf(stderr, "%s:%d: warning: %s\n", file, n.Line, n.Msg)
	}
	for _, n := range plan.Problems {
		fmt.Fprintf(stderr, "%s:%d: %s\n", file, n.Line, n.Msg)
	}
	if !*write {
		fmt.Fprintf(stdout, "# %d feeds from %s\n", plan.Added(), file)
		fmt.Fprint(stdout, opml.YAML(plan))
	} else if err := opml.MergeIntoConfig(path, plan); err != nil {
		fmt.Fprintln(stderr, "tributary opml import:", err)
		return exitError
	} else {
		fmt.Fprint(stdout, plan.Summary(path))
	}
	if len(plan.Problems) > 0 {
		fmt.Fprintf(stderr, "tributary opml import: %d entries of %s skipped\n", len(plan.Problems), file)
		return exitError
	}
	return exitOK
}

func cmdOPMLExport(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("opml export", flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfgPath := fs.String("config", "", "config file (default $TRIBUTARY_CONFIG, else ./tributary.yaml)")
	section := fs.String("section", "", "only this section")
	fs.Usage = func() { fmt.Fprint(stderr, opmlUsage+"\nFlags of export:\n"); fs.PrintDefaults() }
	if err := fs.Parse(args); err != nil {
		return flagExit(err)
	}
	cfg, err := config.Load(configPath(*cfgPath), os.Getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	logger := newConfigLogger(stderr, config.LogConfig{Level: "error", Format: cfg.Log.Format})
	known, err := knownFeeds(ctx, cfg, logger)
	if err != nil {
		// The config alone still makes a whole subscription list.
		fmt.Fprintf(stderr, "tributary opml export: titles and site links from the config only: %v\n", err)
	}
	doc, err := opml.Export(cfg, *section, known)
	if err != nil {
		fmt.Fprintln(stderr, "tributary opml export:", err)
		return exitError
	}
	_, _ = stdout.Write(doc)
	return exitOK
}

// exportStoreTimeout bounds the store reads of an export: an unreachable
// Redis costs the titles, not the export.
const exportStoreTimeout = 10 * time.Second

// knownFeeds reads each configured source's own title and site link from
// the store (see opml.Known). The embedded store is read from its
// snapshot and never written.
func knownFeeds(ctx context.Context, cfg *config.Config, logger *slog.Logger) (map[string]opml.FeedInfo, error) {
	ctx, cancel := context.WithTimeout(ctx, exportStoreTimeout)
	defer cancel()
	st, closeStore, err := storeopen.OpenReadOnly(cfg, logger)
	if err != nil {
		return nil, err
	}
	defer closeStore()
	if err := st.Ping(ctx); err != nil {
		return nil, fmt.Errorf("store: %w", err)
	}
	return opml.Known(ctx, st, cfg.Sources())
}
