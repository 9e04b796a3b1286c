package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/preview"
	"github.com/tributary-rss/tributary/aggregator/report"
)

const discoverUsage = `Usage: tributary discover [--config FILE] URL

Fetches URL once, as a poll would (the config's user agent, timeouts and
body limit, when there is a config), and prints the feeds it offers, one
per line: type (atom, rss, json), absolute URL, title. Atom comes first,
then RSS, then JSON Feed; the first is the one a source with this URL
would be polled through. When URL is a feed itself it is printed alone
and a note on stderr says so.

An HTML page advertising no feed is searched for lists of entries: each
list found is printed, best first, with its item count, three sample
titles with their dates and a scrape: block ready to paste under a
source (indented as sources are in the example config). A source with
the URL alone reads the first list by itself, unless the lists are too
alike to choose from (the output says so): then paste the block of the
one wanted. Check what it reads with tributary preview URL.

Exits 1 when URL cannot be fetched, or offers neither a feed nor a list.

The fetch runs from this machine, to any address: the admin API's guard
against private addresses is for requests made through the daemon.

Examples:
  tributary discover https://www.example.edu.cn/
  tributary discover https://www.example.edu.cn/rss.xml
  tributary discover --config tributary.yaml https://www.example.edu.cn/xwzx/

Flags:
`

func cmdDiscover(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("discover", flag.ContinueOnError)
	fset.SetOutput(stderr)
	cfgPath := fset.String("config", "", "config file for the fetch settings (default $TRIBUTARY_CONFIG, else ./tributary.yaml if it exists)")
	fset.Usage = func() { fmt.Fprint(stderr, discoverUsage); fset.PrintDefaults() }
	rest, err := parseInterleaved(fset, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) != 1 {
		fmt.Fprintf(stderr, "tributary discover: want one URL, got %d arguments\n\n", len(rest))
		fset.Usage()
		return exitUsage
	}
	if err := config.CheckFeedURL(rest[0]); err != nil {
		fmt.Fprintln(stderr, "tributary discover:", err)
		return exitUsage
	}
	cfg, err := toolConfig(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	p := newPreviewer(cfg, nil)
	d, _ := p.Discover(ctx, rest[0], false)
	report.Feeds(stdout, d)
	switch {
	case len(d.Feeds) == 0 && len(d.Lists) > 0:
		report.Lists(stdout, d, toolLocation(cfg), time.Now())
	case len(d.Feeds) == 0:
		fmt.Fprintf(stderr, "tributary discover: %s: %s\n", rest[0], d.Reason)
		return exitError
	case d.IsFeed:
		fmt.Fprintf(stderr, "%s is a feed itself: use it as a source's url as it is\n", d.Feeds[0].URL)
	}
	if d.FinalURL != "" && d.FinalURL != d.URL && !d.IsFeed {
		fmt.Fprintf(stderr, "(%s redirected to %s)\n", d.URL, d.FinalURL)
	}
	return exitOK
}

// toolConfig loads the config discover and preview read their fetch and
// normalize settings (and preview its sources) from: --config, else
// $TRIBUTARY_CONFIG, else ./tributary.yaml when it exists. With none of
// them they run on the defaults: a first look at a site needs no config.
func toolConfig(flagValue string) (*config.Config, error) {
	path := configPath(flagValue)
	if flagValue == "" && os.Getenv("TRIBUTARY_CONFIG") == "" {
		if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
			return &config.Config{Defaults: config.Defaults{Timezone: config.DefaultTimezone}}, nil
		}
	}
	return config.Load(path, os.Getenv)
}

// newPreviewer is the previewer of discover, preview and the admin API,
// parsing HTML within pages when it is given (a daemon shares its poller's
// limiter), else within a limiter of its own.
func newPreviewer(cfg *config.Config, pages *parse.Limiter) *preview.Previewer {
	p := preview.New(newFetcher(cfg), newNormalizer(cfg))
	if pages != nil {
		p.HTML = pages
	}
	return p
}

// parseInterleaved parses flags placed before and after the positional
// arguments ("preview news-a --items li"), which flag.Parse alone stops
// at, and returns the positional arguments.
func parseInterleaved(fset *flag.FlagSet, args []string) ([]string, error) {
	var rest []string
	for {
		if err := fset.Parse(args); err != nil {
			return nil, err
		}
		consumed := len(args) - len(fset.Args())
		if consumed > 0 && args[consumed-1] == "--" {
			return append(rest, fset.Args()...), nil // all positional after "--"
		}
		args = fset.Args()
		if len(args) == 0 {
			return rest, nil
		}
		rest = append(rest, args[0])
		args = args[1:]
	}
}

// toolLocation is the zone the CLI reads dates without one in: the
// config's defaults.timezone, else Asia/Shanghai.
func toolLocation(cfg *config.Config) *time.Location {
	loc, err := cfg.Location()
	if err != nil {
		return time.UTC
	}
	return loc
}
