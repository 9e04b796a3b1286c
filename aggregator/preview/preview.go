// Package preview reads a source once the way a poll reads it, and says
// what the poll would store: fetch, parse (a feed, an HTML page through
// the feed it advertises, or a list page with the source's scrape:
// selectors or by detecting its list), normalize, apply the source's own
// include/exclude, and with content: fetch read the first entry's
// article; a list page's warnings say what an editor should check (see
// Warnings, which polls use too). Discover answers the question before
// that one: which feeds, or else which lists, does this URL offer?
//
// It backs `tributary discover`, `tributary preview` and the admin API's
// discover and preview, so operators see one answer wherever they ask.
// It never writes anything: no store, no source state, no validators or
// body hashes kept between calls. Section policy (section filters,
// de-duplication, age limits) is not applied: a preview is of a source.
package preview

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/filter"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/read"
)

// DefaultTextLen is how many runes of an article's text a preview shows.
const DefaultTextLen = 200

// FilteredReason is the PreviewSkip reason of an entry the source's
// include/exclude leaves out.
const FilteredReason = "left out by the source's include/exclude"

// errSourceFilter is wrapped by a preview's error when the source's own
// include/exclude does not compile.
var errSourceFilter = errors.New("source filter")

// Fetcher is the HTTP side: *fetch.Fetcher, built with the daemon's user
// agent, timeouts and body limit.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

var _ Fetcher = (*fetch.Fetcher)(nil)

// Previewer runs discoveries and previews. It is safe for concurrent use.
type Previewer struct {
	fetcher    Fetcher
	normalizer *normalize.Normalizer
	// Now is the clock (time.Now when nil): the fetch time entries are
	// normalized at.
	Now func() time.Time
	// TextLen bounds PreviewArticle.Text in runes; 0 means DefaultTextLen.
	TextLen int
	// HTML bounds the HTML parses of list pages and articles. New gives
	// the previewer a limiter of its own; a daemon shares its poller's,
	// so previews and polls together parse no more pages at once.
	HTML *parse.Limiter
}

// New returns a Previewer fetching with f and normalizing with n (the
// daemon's, so limits and tracking parameters are those a poll applies).
func New(f Fetcher, n *normalize.Normalizer) *Previewer {
	return &Previewer{fetcher: f, normalizer: n, HTML: parse.NewLimiter(parse.DefaultConcurrency)}
}

func (p *Previewer) now() time.Time {
	if p.Now != nil {
		return p.Now()
	}
	return time.Now()
}

// Preview reads src once and returns what a poll would store. On failure
// the error is the fetch's or the parser's and Preview.Error says the same
// in an operator's words; the Preview keeps what was done before it.
// src.Restricted applies to every fetch (the page, a discovered feed, the
// article). A list page read without its items named (a URL alone whose
// page advertises no feed, or a scrape: block without items) is read as
// a poll reads it, by detection: Preview.Detected holds the selectors
// chosen, or, when the page's lists were too alike to choose, the best
// guess to correct. A list page's Warnings say what to check.
func (p *Previewer) Preview(ctx context.Context, src model.Source) (model.Preview, error) {
	out := model.Preview{URL: src.URL, Entries: []model.PreviewEntry{}, Skipped: []model.PreviewSkip{}, Warnings: []model.ListWarning{}}
	rd, err := p.read(ctx, src, &out)
	if err != nil {
		setError(&out, err)
		return out, err
	}
	now := p.now()
	entries, dates := p.normalizer.EntriesWithDates(rd.Feed, src, rd.Resp.URL, now)
	if rd.Page != nil {
		out.Warnings = Warnings(rd.Page, entries, dates, src.Location, now)
	}
	entries, err = p.filter(src, entries, &out)
	if err != nil {
		setError(&out, err)
		return out, err
	}
	if src.Content != nil && src.Content.Fetch {
		out.Article = p.article(ctx, src, entries)
	}
	out.Title = normalize.PlainText(cmp.Or(src.Title, rd.Feed.Title))
	if len(entries) > 0 {
		out.Title = entries[0].SourceTitle
	}
	dateText := dateTexts(rd.Feed)
	for _, e := range entries {
		pe := previewEntry(e, src)
		pe.DateText = dateText(e)
		out.Entries = append(out.Entries, pe)
	}
	return out, nil
}

// read reads src as a poll reads it (read.Reader, from no stored state:
// the configured URL, unconditionally), and records in out what it
// fetched and found: the kind of document, the selectors detection chose
// (or, when the page's lists were too alike to choose, the best guess to
// correct) and the items that gave no entry.
func (p *Previewer) read(ctx context.Context, src model.Source, out *model.Preview) (read.Result, error) {
	r := read.Reader{Fetcher: p.fetcher, HTML: p.HTML, Now: p.Now}
	rd, err := r.Read(ctx, src, model.SourceState{})
	if rd.Resp == nil {
		return rd, err
	}
	resp := rd.Resp
	out.FetchedURL, out.Status, out.ContentType = resp.URL, resp.StatusCode, resp.ContentType
	out.Charset, out.Bytes = resp.Charset, len(resp.Body)
	switch rd.Kind {
	case read.KindFeed:
		out.Kind = model.PreviewFeed
	case read.KindDiscovered:
		out.Kind = model.PreviewDiscovered
	case read.KindList:
		out.Kind = model.PreviewListPage
		noteList(rd, err, out)
	}
	return rd, err
}

// noteList records in out what a read of a list page chose and skipped.
func noteList(rd read.Result, err error, out *model.Preview) {
	var pe *parse.ParseError
	if err != nil && errors.As(err, &pe) && len(pe.Lists) > 0 {
		// The lists were too alike to choose: the best of them is a
		// guess to correct, not to read.
		best := pe.Lists[0].Scrape
		out.Detected = &best
	}
	page := rd.Page
	if page == nil {
		return
	}
	if rd.Detected {
		detected := page.Rules
		out.Detected = &detected
	}
	for _, s := range page.Skipped {
		out.Skipped = append(out.Skipped, model.PreviewSkip{Position: s.Position, Title: s.Title, Reason: s.Reason, Code: skipCode(s.Reason)})
	}
	if page.CutAt > 0 {
		// The items the cut left out are skipped too: one line, at the
		// position the first of them would have had.
		n := len(page.Feed.Items) + len(page.Skipped)
		out.Skipped = append(out.Skipped, model.PreviewSkip{Position: n + 1, Reason: parse.CutReason(page.CutAt), Code: model.MsgSkipCut})
	}
}

// maxDateText bounds PreviewEntry.DateText in runes: enough to check a
// date's reading, not a block a date selector matched whole.
const maxDateText = 100

// dateTexts finds the date text the document printed for an entry made
// of one of feed's items: by the item's link, else its title (the
// normalizer may have rewritten the link, resolving it or dropping
// tracking parameters).
func dateTexts(feed *gofeed.Feed) func(model.Entry) string {
	byLink, byTitle := map[string]string{}, map[string]string{}
	for _, it := range feed.Items {
		if it == nil {
			continue
		}
		raw := normalize.Truncate(strings.Join(strings.Fields(cmp.Or(it.Published, it.Updated)), " "), maxDateText)
		if _, ok := byLink[it.Link]; !ok && it.Link != "" {
			byLink[it.Link] = raw
		}
		if title := normalize.PlainText(it.Title); title != "" {
			if _, ok := byTitle[title]; !ok {
				byTitle[title] = raw
			}
		}
	}
	return func(e model.Entry) string {
		if raw, ok := byLink[e.Link]; ok {
			return raw
		}
		return byTitle[e.Title]
	}
}

// filter drops the entries the source's include/exclude leaves out,
// listing them in out.Skipped.
func (p *Previewer) filter(src model.Source, entries []model.Entry, out *model.Preview) ([]model.Entry, error) {
	if len(src.Include) == 0 && len(src.Exclude) == 0 {
		return entries, nil
	}
	f, err := filter.Compile(src.Include, src.Exclude)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", errSourceFilter, err)
	}
	kept := entries[:0:0]
	for _, e := range entries {
		if f.Match(e) {
			kept = append(kept, e)
			continue
		}
		out.Skipped = append(out.Skipped, model.PreviewSkip{Title: e.Title, Reason: FilteredReason, Code: model.MsgSkipFiltered})
	}
	return kept, nil
}

// previewEntry reduces e to what a preview shows, its date in the
// source's zone.
func previewEntry(e model.Entry, src model.Source) model.PreviewEntry {
	pe := model.PreviewEntry{ID: e.ID, Title: e.Title, Link: e.Link, NoDate: e.NoDate, Summary: e.Summary,
		Image: e.Image, ContentLength: len(e.Content)}
	if !e.NoDate && !e.Published.IsZero() {
		t := e.Published
		if src.Location != nil {
			t = t.In(src.Location)
		}
		pe.Published = &t
	}
	return pe
}
