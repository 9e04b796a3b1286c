package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
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

// summaryWidth is how much of a summary a preview line shows, in runes.
const summaryWidth = 80

// selectorFlags are preview's flags that try scrape: and content: rules.
type selectorFlags struct {
	scrape          map[string]*string // by flag name
	contentSelector *string
	contentFetch    *bool
	timezone        *string
}

// scrapeFlags map preview's flag names to the scrape: keys they set.
var scrapeFlags = []struct {
	name  string
	field func(*model.Scrape) *string
}{
	{"items", func(s *model.Scrape) *string { return &s.Items }},
	{"title", func(s *model.Scrape) *string { return &s.Title }},
	{"link", func(s *model.Scrape) *string { return &s.Link }},
	{"date", func(s *model.Scrape) *string { return &s.Date }},
	{"date-attr", func(s *model.Scrape) *string { return &s.DateAttr }},
	{"summary", func(s *model.Scrape) *string { return &s.Summary }},
	{"image", func(s *model.Scrape) *string { return &s.Image }},
	{"skip", func(s *model.Scrape) *string { return &s.Skip }},
}

func newSelectorFlags(fset *flag.FlagSet) *selectorFlags {
	sf := &selectorFlags{scrape: map[string]*string{}}
	for _, f := range scrapeFlags {
		key := strings.ReplaceAll(f.name, "-", "_")
		sf.scrape[f.name] = fset.String(f.name, "", "scrape."+key+": CSS selector (date-attr: an attribute name)")
	}
	sf.contentSelector = fset.String("content-selector", "", "content.selector: CSS selector of the article body (implies --content-fetch)")
	sf.contentFetch = fset.Bool("content-fetch", false, "content.fetch: fetch the first entry's article")
	sf.timezone = fset.String("timezone", "", "time zone for dates without one (default: the source's, else defaults.timezone)")
	return sf
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
	src, err := previewSource(cfg, rest[0])
	if err != nil {
		fmt.Fprintln(stderr, "tributary preview:", err)
		return exitError
	}
	if err := sf.apply(fset, &src); err != nil {
		fmt.Fprintln(stderr, "tributary preview:", err)
		return exitUsage
	}
	p, err := newPreviewer(cfg, nil).Preview(ctx, src)
	printPreview(stdout, src, p)
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

// previewSource is the config's source whose id or URL is arg, else a
// source of the URL arg with the config's defaults.
func previewSource(cfg *config.Config, arg string) (model.Source, error) {
	for _, src := range cfg.Sources() {
		if src.ID == arg || src.URL == arg {
			return src, nil
		}
	}
	if err := config.CheckFeedURL(arg); err != nil {
		where := "the config"
		if cfg.Path != "" {
			where = cfg.Path
		}
		return model.Source{}, fmt.Errorf("no source with id or URL %q in %s, and %w", arg, where, err)
	}
	loc, err := time.LoadLocation(cmp.Or(cfg.Defaults.Timezone, config.DefaultTimezone))
	if err != nil {
		return model.Source{}, fmt.Errorf("defaults.timezone: %w", err)
	}
	return model.Source{ID: model.SourceID(arg), URL: arg, Location: loc}, nil
}

// apply sets the rules the flags given on the command line name on src,
// copying its blocks rather than changing the config's. Errors name the
// flag.
func (sf *selectorFlags) apply(fset *flag.FlagSet, src *model.Source) error {
	set := map[string]bool{}
	fset.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if err := sf.applyScrape(set, src); err != nil {
		return err
	}
	if set["content-selector"] || set["content-fetch"] {
		cc := model.Content{MaxPerPoll: model.DefaultMaxPerPoll}
		if src.Content != nil {
			cc = *src.Content
		}
		if set["content-selector"] {
			if err := parse.CheckSelector(*sf.contentSelector); err != nil {
				return fmt.Errorf("--content-selector: %w", err)
			}
			cc.Selector, cc.Fetch = *sf.contentSelector, true
		}
		if set["content-fetch"] {
			cc.Fetch = *sf.contentFetch
		}
		src.Content = &cc
	}
	if set["timezone"] {
		loc, err := time.LoadLocation(*sf.timezone)
		if err != nil || *sf.timezone == "" {
			return fmt.Errorf("--timezone: %q is not a known IANA time zone", *sf.timezone)
		}
		src.Location = loc
	}
	return nil
}

func (sf *selectorFlags) applyScrape(set map[string]bool, src *model.Source) error {
	var sc model.Scrape
	if src.Scrape != nil {
		sc = *src.Scrape
	}
	changed := false
	for _, f := range scrapeFlags {
		if !set[f.name] {
			continue
		}
		v := *sf.scrape[f.name]
		switch {
		case f.name == "date-attr" && strings.ContainsAny(v, " \t\n\"'=<>/"):
			return fmt.Errorf("--date-attr: %q is not an attribute name", v)
		case f.name != "date-attr" && v != "":
			if err := parse.CheckSelector(v); err != nil {
				return fmt.Errorf("--%s: %w", f.name, err)
			}
		}
		*f.field(&sc) = v
		changed = true
	}
	if changed {
		src.Scrape = &sc
	}
	return nil
}

// printPreview writes what a poll of src would store: a header, one block
// per entry, the skipped items and the article.
func printPreview(w io.Writer, src model.Source, p model.Preview) {
	fmt.Fprintf(w, "source   %s  %s\n", src.ID, src.URL)
	if p.FetchedURL != "" {
		fmt.Fprintf(w, "read     %s %s (HTTP %d, %s, %d bytes, %s)\n", kindText(p.Kind), p.FetchedURL, p.Status,
			cmp.Or(p.ContentType, "no content type"), p.Bytes, cmp.Or(p.Charset, "utf-8"))
	}
	if p.Title != "" {
		fmt.Fprintf(w, "title    %s\n", p.Title)
	}
	if p.Detected != nil && p.Error == "" {
		fmt.Fprintf(w, "detected the list these selectors read (paste under the source to pin them):\n%s", scrapeBlock(*p.Detected, scrapeIndent))
	}
	if p.Error != "" {
		return
	}
	fmt.Fprintf(w, "entries  %d, skipped %d\n", len(p.Entries), len(p.Skipped))
	printWarnings(w, p.Warnings, len(p.Entries))
	width := len(fmt.Sprint(len(p.Entries)))
	for i, e := range p.Entries {
		fmt.Fprintf(w, "\n%*d  %s\n", width, i+1, e.Title)
		pad := strings.Repeat(" ", width+2)
		fmt.Fprintf(w, "%slink     %s\n", pad, cmp.Or(e.Link, "-"))
		fmt.Fprintf(w, "%sdate     %s\n", pad, dateLine(e, p.Kind))
		if e.Summary != "" {
			fmt.Fprintf(w, "%ssummary  %s\n", pad, normalize.Truncate(e.Summary, summaryWidth))
		}
		if e.Image != "" {
			fmt.Fprintf(w, "%simage    %s\n", pad, e.Image)
		}
		fmt.Fprintf(w, "%scontent  %d bytes\n", pad, e.ContentLength)
	}
	printSkipped(w, p.Skipped)
	printArticle(w, p.Article)
}

// kindText says how a preview read its document.
func kindText(kind string) string {
	switch kind {
	case model.PreviewListPage:
		return "list page"
	case model.PreviewDiscovered:
		return "feed the page advertises:"
	}
	return "feed"
}

// dateLine is an entry's date in the source's zone, with the offset and
// the zone's abbreviation, so a wrong zone shows at a glance; on a list
// page, with the date as the page printed it, so a misreading shows too.
func dateLine(e model.PreviewEntry, kind string) string {
	printed := ""
	if kind == model.PreviewListPage && e.DateText != "" {
		printed = fmt.Sprintf("  (printed %q)", e.DateText)
	}
	if e.Published == nil {
		return "none: dated when first stored" + printed
	}
	return e.Published.Format("2006-01-02 15:04:05 -0700 MST") + printed
}

func printSkipped(w io.Writer, skipped []model.PreviewSkip) {
	if len(skipped) == 0 {
		return
	}
	fmt.Fprintf(w, "\nskipped\n")
	for _, s := range skipped {
		pos := "-"
		if s.Position > 0 {
			pos = fmt.Sprintf("#%d", s.Position)
		}
		fmt.Fprintf(w, "  %-4s %s: %s\n", pos, cmp.Or(s.Title, "(no title)"), s.Reason)
	}
}

func printArticle(w io.Writer, a *model.PreviewArticle) {
	if a == nil {
		return
	}
	fmt.Fprintf(w, "\narticle  %s\n", a.URL)
	if a.Error != "" {
		fmt.Fprintf(w, "  error    %s\n", a.Error)
		return
	}
	if a.Title != "" {
		fmt.Fprintf(w, "  title    %s\n", a.Title)
	}
	if a.Published != nil {
		fmt.Fprintf(w, "  date     %s\n", a.Published.Format("2006-01-02 15:04:05 -0700 MST"))
	}
	if a.Author != "" {
		fmt.Fprintf(w, "  author   %s\n", a.Author)
	}
	fmt.Fprintf(w, "  content  %d bytes\n", a.ContentLength)
	fmt.Fprintf(w, "  text     %s\n", cmp.Or(a.Text, "(none)"))
}
