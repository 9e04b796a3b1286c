package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/preview"
	"github.com/tributary-rss/tributary/aggregator/report"
)

const previewUsage = `Usage: tributary preview [--config FILE] [selector flags] SOURCE

Reads SOURCE once, as a poll would, and prints the entries it would store:
title, link, date in the source's time zone, summary (cut for the screen)
and stored content size; then the items that give no entry and why
(matched by scrape.skip, no link, left out by the source's
include/exclude). With content: fetch (or --content-fetch) the first
entry's article is fetched too and the start of its text shown.

SOURCE is the id or URL of a source in the config file, or any http(s)
URL, read with the config's defaults. An HTML page without a scrape:
block is read through the first feed it advertises, as a poll reads it;
a page advertising none has its list of entries detected, as a poll
detects it: the selectors chosen are printed as a scrape: block (to
paste under the source to pin them, or to correct). A list page's
warnings say what to check: a title or date selector matching few
items, items sharing one link, a list of one item, no dates at all,
years that look wrong.
Nothing is written anywhere: no store is opened, so it is safe next to a
running daemon. Sources added through the admin API are previewed with
POST /api/v1/admin/preview.

The selector flags try scrape: and content: rules without editing the
config. Each replaces that key of the source's block and reads the URL
as a list page; without --items (and no items in the source's block)
the list is detected and the other flags kept. --content-selector
implies --content-fetch. An invalid selector is a usage error naming its
flag.

Exits 1 when the source cannot be fetched or read, or its article cannot
be extracted (the reason is printed); 2 on bad flags.

Examples:
  tributary preview news-a
  tributary preview https://www.example.edu.cn/rss.xml
  tributary preview https://www.example.edu.cn/xwzx/tzgg.htm
  tributary preview https://www.example.edu.cn/tzgg/list.htm --items 'ul.news > li' --date span.date
  tributary preview --config tributary.yaml tzgg --skip .top --content-selector .v_news_content

Flags:
`

// selectorFlags are preview's flags that try scrape: and content: rules,
// each named after the key it sets (see preview.Overrides).
type selectorFlags struct {
	contentSelector *string
	contentFetch    *bool
	timezone        *string
}

func newSelectorFlags(fset *flag.FlagSet) *selectorFlags {
	for _, key := range preview.ScrapeKeys {
		fset.String(flagName("scrape."+key), "", "scrape."+key+": CSS selector (date-attr: an attribute name)")
	}
	return &selectorFlags{
		contentSelector: fset.String("content-selector", "", "content.selector: CSS selector of the article body (implies --content-fetch)"),
		contentFetch:    fset.Bool("content-fetch", false, "content.fetch: fetch the first entry's article"),
		timezone:        fset.String("timezone", "", "time zone for dates without one (default: the source's, else defaults.timezone)"),
	}
}

// flagName is the flag of a key of preview.Overrides: "scrape.date_attr"
// is --date-attr, "content.selector" --content-selector.
func flagName(key string) string {
	return strings.NewReplacer("scrape.", "", "_", "-", ".", "-").Replace(key)
}

// overrides are the rules of the flags given on the command line.
func (sf *selectorFlags) overrides(fset *flag.FlagSet) preview.Overrides {
	o := preview.Overrides{Scrape: map[string]string{}}
	fset.Visit(func(f *flag.Flag) {
		switch f.Name {
		case "content-selector":
			o.ContentSelector = sf.contentSelector
		case "content-fetch":
			o.ContentFetch = sf.contentFetch
		case "timezone":
			o.Timezone = sf.timezone
		default:
			if key := strings.ReplaceAll(f.Name, "-", "_"); slices.Contains(preview.ScrapeKeys, key) {
				o.Scrape[key] = f.Value.String()
			}
		}
	})
	return o
}

func cmdPreview(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fset := flag.NewFlagSet("preview", flag.ContinueOnError)
	fset.SetOutput(stderr)
	cfgPath := fset.String("config", "", "config file (default $TRIBUTARY_CONFIG, else ./tributary.yaml if it exists)")
	sf := newSelectorFlags(fset)
	fset.Usage = func() { fmt.Fprint(stderr, previewUsage); fset.PrintDefaults() }
	rest, err := parseInterleaved(fset, args)
	if err != nil {
		return flagExit(err)
	}
	if len(rest) != 1 {
		fmt.Fprintf(stderr, "tributary preview: want one SOURCE (an id or URL), got %d arguments\n\n", len(rest))
		fset.Usage()
		return exitUsage
	}
	cfg, err := toolConfig(*cfgPath)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return exitError
	}
	src, err := cfg.SourceFor(rest[0])
	if err != nil {
		fmt.Fprintln(stderr, "tributary preview:", err)
		return exitError
	}
	if err := sf.overrides(fset).Apply(&src); err != nil {
		var oe *preview.OverrideError
		if errors.As(err, &oe) {
			err = fmt.Errorf("--%s: %w", flagName(oe.Key), oe.Err)
		}
		fmt.Fprintln(stderr, "tributary preview:", err)
		return exitUsage
	}
	p, err := newPreviewer(cfg, nil).Preview(ctx, src)
	report.Preview(stdout, src, p, printWarnings)
	switch {
	case err != nil:
		fmt.Fprintf(stderr, "tributary preview: %s: %s\n", src.URL, p.Error)
		return exitError
	case p.Article != nil && p.Article.Error != "":
		fmt.Fprintf(stderr, "tributary preview: article %s: %s\n", p.Article.URL, p.Article.Error)
		return exitError
	}
	return exitOK
}
