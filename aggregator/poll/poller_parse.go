package poll

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// fetchSource fetches the URL a poll reads (see pollURL), with the stored
// validators when they belong to it. The source's headers go only to its
// own origin: the URL a permanent redirect or discovery led to may be
// elsewhere.
func (p *Poller) fetchSource(ctx context.Context, src model.Source, st *model.SourceState, res *Result) (*fetch.Response, error) {
	res.FetchURL = pollURL(src, *st)
	req := fetch.Request{URL: res.FetchURL, Headers: fetch.HeadersFor(src.Headers, src.URL, res.FetchURL), Restricted: src.Restricted}
	if res.FetchURL == validatorURL(src, *st) {
		req.ETag, req.LastModified, req.BodyHash = st.ETag, st.LastModified, st.BodyHash
	}
	return p.fetchOnce(ctx, req, res)
}

// fetchOnce does one fetch of a poll and notes the response in res. A poll
// that follows a page to its feed fetches twice; res then describes the
// feed's response, and FetchDuration and Bytes count both.
func (p *Poller) fetchOnce(ctx context.Context, req fetch.Request, res *Result) (*fetch.Response, error) {
	start := p.Now()
	resp, err := p.fetcher.Fetch(ctx, req)
	res.FetchDuration += p.Now().Sub(start)
	if err != nil {
		var se *fetch.StatusError
		if errors.As(err, &se) {
			res.Status = se.Code
		}
		return nil, err
	}
	res.Status = resp.StatusCode
	res.Bytes += int64(len(resp.Body))
	res.permanentURL = resp.PermanentURL
	res.Hints.MaxAge, res.Hints.Expires = resp.Cache.MaxAge, resp.Cache.Expires
	res.NotModified, res.SameBody = resp.NotModified, resp.SameBody
	return resp, nil
}

// read turns a fetched body into a feed: a list page read with the
// source's scrape: rules, else a feed, else the feed the HTML page
// advertises, fetched in the same poll (resp is then that feed's
// response), else, for a page advertising none, its main list, detected
// (see scrape). A nil feed without error means the advertised feed had
// not changed (304, or the same body).
func (p *Poller) read(ctx context.Context, src model.Source, st *model.SourceState, resp *fetch.Response, res *Result) (*gofeed.Feed, *fetch.Response, error) {
	if src.Scrape != nil {
		feed, err := p.scrape(ctx, src, st, resp, res)
		return feed, resp, err
	}
	feed, err := p.parseFeed(resp, res)
	var pe *parse.ParseError
	switch {
	case err == nil:
		return feed, resp, nil
	case errors.As(err, &pe) && len(pe.Feeds) > 0:
		return p.followAdvertised(ctx, src, st, pe.Feeds[0], res)
	case errors.Is(err, parse.ErrNoFeed) && servedFeed(*st):
		// A URL that served a feed before and now answers with a page is
		// most likely down for maintenance or behind a login: say what
		// the page is, rather than read its menus as news.
		err = &parse.ParseError{Reason: parse.PageReason(resp.Body), Err: err}
	case errors.Is(err, parse.ErrNoFeed):
		feed, err := p.scrape(ctx, src, st, resp, res)
		return feed, resp, err
	}
	return nil, nil, fmt.Errorf("parse %s: %w", res.FetchURL, err)
}

// servedFeed reports a source whose URL was last read as a feed itself:
// polled successfully, and neither through a feed its page advertised
// nor as a list page detection read.
func servedFeed(st model.SourceState) bool {
	return !st.LastSuccess.IsZero() && !st.Discovered && st.Detected == nil
}

// parseFeed parses a feed body and keeps its polling hints in res.
func (p *Poller) parseFeed(resp *fetch.Response, res *Result) (*gofeed.Feed, error) {
	feed, hints, err := parse.FeedWithHints(resp.Body, parse.FeedOptions{URL: resp.URL, ContentType: resp.ContentType})
	if err != nil {
		return nil, err
	}
	res.Hints.TTL, res.Hints.UpdateEvery = hints.TTL, hints.UpdateEvery
	res.Hints.SkipHours, res.Hints.SkipDays = hints.SkipHours, hints.SkipDays
	return feed, nil
}

// followAdvertised fetches and parses the feed an HTML page advertises
// (its best, see parse.Discover). On success the poll records it as the
// source's effective URL (see adoptDiscovered).
func (p *Poller) followAdvertised(ctx context.Context, src model.Source, st *model.SourceState, c parse.Candidate, res *Result) (*gofeed.Feed, *fetch.Response, error) {
	req := fetch.Request{URL: c.URL, Headers: fetch.HeadersFor(src.Headers, src.URL, c.URL), Restricted: src.Restricted}
	if c.URL == validatorURL(src, *st) {
		req.ETag, req.LastModified, req.BodyHash = st.ETag, st.LastModified, st.BodyHash
	}
	res.FetchURL, res.Discovered = c.URL, c.URL
	resp, err := p.fetchOnce(ctx, req, res)
	if err != nil {
		return nil, nil, &discoveryError{feedURL: c.URL, err: err}
	}
	if resp.NotModified || resp.SameBody {
		return nil, resp, nil
	}
	feed, err := p.parseFeed(resp, res)
	if err != nil {
		// One hop only: a page advertising a page is not followed further.
		return nil, nil, &discoveryError{feedURL: c.URL, err: err}
	}
	return feed, resp, nil
}

// scrape reads a list page: with the source's scrape: rules when they
// name the items, else by detection (see readDetected). Items without a
// link are left out and counted (res.Skipped, shown on /status): a few
// are separators or "more" links, many mean the selectors no longer fit.
// A page cut at the parser's element bound still gives its first items;
// the cut is in res.PageCut and logged when it starts and ends. What was
// read stays in res for the warnings and the detection kept once the
// entries are stored (see keepList).
func (p *Poller) scrape(ctx context.Context, src model.Source, st *model.SourceState, resp *fetch.Response, res *Result) (*gofeed.Feed, error) {
	var given model.Scrape
	if src.Scrape != nil {
		given = *src.Scrape
	}
	var page *parse.ListPage
	var err error
	if strings.TrimSpace(given.Items) != "" {
		page, err = parse.Scrape(ctx, p.HTML, resp.Body, resp.ContentType, resp.URL, given)
	} else {
		page, err = p.readDetected(ctx, src, *st, resp)
		res.detected = err == nil
	}
	if err != nil {
		return nil, fmt.Errorf("scrape %s: %w", res.FetchURL, detectionError(src, err))
	}
	res.list = page
	res.PageCut = page.CutAt
	p.noteCut(src, res)
	noLink := 0
	for _, s := range page.Skipped {
		if s.Reason == parse.SkipNoLink || s.Reason == parse.SkipScriptLink {
			noLink++
		}
		p.logger.Debug("list item skipped", "source", src.ID, "position", s.Position, "title", s.Title, "reason", s.Reason)
	}
	res.Skipped, st.Skipped = noLink, noLink
	return page.Feed, nil
}

// noteCut logs a source's list page being cut at the element bound, and
// no longer being cut, once each.
func (p *Poller) noteCut(src model.Source, res *Result) {
	if res.PageCut > 0 {
		if _, was := p.cutPages.LoadOrStore(src.ID, true); !was {
			p.logger.Warn("list page cut", "source", src.ID, "url", res.FetchURL, "reason", parse.CutReason(res.PageCut))
		}
		return
	}
	if _, was := p.cutPages.LoadAndDelete(src.ID); was {
		p.logger.Info("list page no longer cut", "source", src.ID, "url", res.FetchURL)
	}
}
