// Package read is the one way a source's document becomes a feed, shared
// by polls and previews: fetch (conditionally, when the source's state
// holds validators), then a feed, or the feed an HTML page advertises
// (followed in the same read, one hop), or a list page read with the
// source's scrape: rules or by detecting its main list.
//
// It never normalizes, stores or decides when to read: package poll does
// that with what Read returns, and package preview shows it.
package read

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// Fetcher is the HTTP side: *fetch.Fetcher.
type Fetcher interface {
	Fetch(ctx context.Context, req fetch.Request) (*fetch.Response, error)
}

var _ Fetcher = (*fetch.Fetcher)(nil)

// Reader reads sources. Fetcher is required; HTML bounds the HTML parses
// of list pages (nil: unbounded); Now times the fetches (nil: time.Now).
type Reader struct {
	Fetcher Fetcher
	HTML    *parse.Limiter
	Now     func() time.Time
}

// Kind is what a read found at the source's URL.
type Kind int

// The kinds of document a read finds.
const (
	// KindFeed is a feed at the URL read.
	KindFeed Kind = iota
	// KindDiscovered is an HTML page advertising a feed, which was read.
	KindDiscovered
	// KindList is a list page, read by selectors or detection.
	KindList
)

// Result is what one read gave, also on failure as far as it got. Where a
// read fetched twice (a page, then the feed it advertises), the fields
// describing a response are the second's, and FetchDuration and Bytes
// count both.
type Result struct {
	Kind Kind
	// Feed is what was read; nil on failure or when Unchanged.
	Feed *gofeed.Feed
	// Resp is the last response received (nil when the first fetch failed).
	Resp *fetch.Response
	// Unchanged: the document answered 304 or with the same body as the
	// state's validators describe; nothing was parsed.
	Unchanged bool
	// FetchURL is the last URL fetched; Discovered the advertised feed's,
	// when one was followed.
	FetchURL, Discovered string
	// Status is the last HTTP status, also of a failed fetch.
	Status        int
	FetchDuration time.Duration
	Bytes         int64
	// PermanentURL is where the last fetch was permanently redirected.
	PermanentURL string
	// Hints are the feed's own polling hints (TTL, sy:update*, skip*).
	Hints parse.Hints
	// Page is the list page read, and Detected says its list was found
	// by detection rather than named by the source's scrape: rules.
	Page     *parse.ListPage
	Detected bool
}

// Read fetches and reads src. st is what is stored about the source: a
// poll passes it, so that the effective URL a redirect or discovery led
// to, the validators and the selectors detection recorded apply; a
// preview passes the zero state and reads src.URL unconditionally.
func (r *Reader) Read(ctx context.Context, src model.Source, st model.SourceState) (Result, error) {
	var res Result
	res.FetchURL = URL(src, st)
	resp, err := r.fetch(ctx, r.request(src, st, res.FetchURL), &res)
	if err != nil {
		return res, err
	}
	// The fetcher hashes the body as received and skips converting one
	// equal to the last: many sources ignore validators, and an identical
	// body cannot hold news.
	if resp.NotModified || resp.SameBody {
		res.Unchanged = true
		return res, nil
	}
	if src.Scrape != nil {
		return res, r.scrape(ctx, src, st, resp, &res)
	}
	feed, err := r.parseFeed(resp, &res)
	var pe *parse.ParseError
	switch {
	case err == nil:
		res.Feed = feed
		return res, nil
	case errors.As(err, &pe) && len(pe.Feeds) > 0:
		return res, r.followAdvertised(ctx, src, st, pe.Feeds[0], &res)
	case errors.Is(err, parse.ErrNoFeed) && servedFeed(st):
		// A URL that served a feed before and now answers with a page is
		// most likely down for maintenance or behind a login: say what
		// the page is, rather than read its menus as news.
		err = &parse.ParseError{Reason: parse.PageReason(resp.Body), Err: err}
	case errors.Is(err, parse.ErrNoFeed):
		return res, r.scrape(ctx, src, st, resp, &res)
	}
	return res, fmt.Errorf("parse %s: %w", res.FetchURL, err)
}

// request is the fetch of url for src, with the stored validators when
// they belong to that URL. The source's headers go only to its own
// origin: the URL a permanent redirect or discovery led to may be
// elsewhere.
func (r *Reader) request(src model.Source, st model.SourceState, url string) fetch.Request {
	req := fetch.Request{URL: url, Headers: fetch.HeadersFor(src.Headers, src.URL, url), Restricted: src.Restricted}
	if url == validatorURL(src, st) {
		req.ETag, req.LastModified, req.BodyHash = st.ETag, st.LastModified, st.BodyHash
	}
	return req
}

func (r *Reader) now() time.Time {
	if r.Now != nil {
		return r.Now()
	}
	return time.Now()
}

// fetch does one fetch of a read and notes the response in res.
func (r *Reader) fetch(ctx context.Context, req fetch.Request, res *Result) (*fetch.Response, error) {
	start := r.now()
	resp, err := r.Fetcher.Fetch(ctx, req)
	res.FetchDuration += r.now().Sub(start)
	if err != nil {
		var se *fetch.StatusError
		if errors.As(err, &se) {
			res.Status = se.Code
		}
		return nil, err
	}
	res.Resp = resp
	res.Status = resp.StatusCode
	res.Bytes += int64(len(resp.Body))
	res.PermanentURL = resp.PermanentURL
	return resp, nil
}

// parseFeed parses a feed body and keeps its polling hints in res.
func (r *Reader) parseFeed(resp *fetch.Response, res *Result) (*gofeed.Feed, error) {
	feed, hints, err := parse.FeedWithHints(resp.Body, parse.FeedOptions{URL: resp.URL, ContentType: resp.ContentType})
	if err != nil {
		return nil, err
	}
	res.Hints = hints
	return feed, nil
}

// followAdvertised fetches and parses the feed an HTML page advertises
// (its best, see parse.Discover).
func (r *Reader) followAdvertised(ctx context.Context, src model.Source, st model.SourceState, c parse.Candidate, res *Result) error {
	res.Kind, res.FetchURL, res.Discovered = KindDiscovered, c.URL, c.URL
	resp, err := r.fetch(ctx, r.request(src, st, c.URL), res)
	if err != nil {
		return &DiscoveryError{FeedURL: c.URL, Err: err}
	}
	if resp.NotModified || resp.SameBody {
		res.Unchanged = true
		return nil
	}
	feed, err := r.parseFeed(resp, res)
	if err != nil {
		// One hop only: a page advertising a page is not followed further.
		return &DiscoveryError{FeedURL: c.URL, Err: err}
	}
	res.Feed = feed
	return nil
}

// scrape reads a list page: with the source's scrape: rules when they
// name the items, else by detection (see readDetected).
func (r *Reader) scrape(ctx context.Context, src model.Source, st model.SourceState, resp *fetch.Response, res *Result) error {
	res.Kind = KindList
	var given model.Scrape
	if src.Scrape != nil {
		given = *src.Scrape
	}
	var page *parse.ListPage
	var err error
	if strings.TrimSpace(given.Items) != "" {
		page, err = parse.Scrape(ctx, r.HTML, resp.Body, resp.ContentType, resp.URL, given)
	} else {
		page, err = r.readDetected(ctx, src, st, resp)
		res.Detected = err == nil
	}
	if err != nil {
		return fmt.Errorf("scrape %s: %w", res.FetchURL, detectionError(src, err))
	}
	res.Page, res.Feed = page, page.Feed
	return nil
}

// A source that is only a URL, whose page advertises no feed, or whose
// scrape: block names no items, is read by detecting its main list
// (parse.Scrape without items). The selectors detection chose are kept
// in the source's state like a discovered feed: later reads use them,
// without detecting, for as long as they still read entries, and detect
// afresh when the page no longer reads with them (a new template) or the
// block they were chosen for changed.

// readDetected reads a list page whose items the source does not name:
// with the selectors recorded for it while they still give entries, else
// by detection, keeping the keys the source's block sets.
func (r *Reader) readDetected(ctx context.Context, src model.Source, st model.SourceState, resp *fetch.Response) (*parse.ListPage, error) {
	if rec := recordedDetection(src, st); rec != nil {
		page, err := parse.Scrape(ctx, r.HTML, resp.Body, resp.ContentType, resp.URL, *rec)
		switch {
		case err == nil && len(page.Feed.Items) > 0:
			return page, nil
		case errors.Is(err, parse.ErrSelectorStopped) || ctx.Err() != nil:
			return nil, err
		}
		// The recorded selectors no longer read the page: detect again.
	}
	var given model.Scrape
	if src.Scrape != nil {
		given = *src.Scrape
	}
	return parse.Scrape(ctx, r.HTML, resp.Body, resp.ContentType, resp.URL, given)
}

// recordedDetection is the selectors recorded for src, or nil when none
// are, or they were chosen for another scrape: block.
func recordedDetection(src model.Source, st model.SourceState) *model.Scrape {
	if st.Detected == nil || st.Detected.Items == "" || st.DetectedFrom != BlockFingerprint(src.Scrape) {
		return nil
	}
	return st.Detected
}

// BlockFingerprint identifies a source's scrape: block (nil included),
// which recorded selectors were chosen for.
func BlockFingerprint(sc *model.Scrape) string {
	b, err := json.Marshal(sc)
	if err != nil {
		return "" // a plain struct of strings: never
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// detectionError says, for a source that is only a URL, that its page
// advertises no feed before why no list was read from it (none found,
// or several too alike to choose from): the operator configured no
// scrape: block, and both halves matter.
func detectionError(src model.Source, err error) error {
	var pe *parse.ParseError
	if src.Scrape != nil || !errors.As(err, &pe) ||
		!(errors.Is(err, parse.ErrNoList) || errors.Is(err, parse.ErrAmbiguous)) {
		return err
	}
	return &parse.ParseError{Reason: parse.NoFeedReason + "; " + pe.Reason, Err: err, Lists: pe.Lists}
}

// servedFeed reports a source whose URL was last read as a feed itself:
// read successfully, and neither through a feed its page advertised nor
// as a list page detection read.
func servedFeed(st model.SourceState) bool {
	return !st.LastSuccess.IsZero() && !st.Discovered && st.Detected == nil
}

// RediscoverAfterErrors is how many polls in a row a feed found by
// discovery may fail before polls go back to the configured page to look
// for the feed it advertises now: sites move their feed when they change
// CMS, and the page is what the operator configured.
const RediscoverAfterErrors = 3

// URL is the URL a read of src fetches: the effective URL (after
// permanent redirects, or the feed the configured page advertised), else
// the configured one. A discovered feed failing RediscoverAfterErrors
// polls in a row sends the read back to the page.
func URL(src model.Source, st model.SourceState) string {
	if st.Discovered && st.ErrorsInRow >= RediscoverAfterErrors {
		return src.URL
	}
	return cmp.Or(st.EffectiveURL, src.URL)
}

// validatorURL is the URL the stored validators and body hash belong to:
// the one the last successful read read.
func validatorURL(src model.Source, st model.SourceState) string {
	return cmp.Or(st.EffectiveURL, src.URL)
}

// DiscoveryError is a failure to read the feed a page advertises: the
// reason alone would leave the operator looking at the page's URL.
type DiscoveryError struct {
	FeedURL string
	Err     error
}

func (e *DiscoveryError) Error() string { return "advertised feed " + e.FeedURL + ": " + e.Err.Error() }

func (e *DiscoveryError) Unwrap() error { return e.Err }

// Reason is err in an operator's words: a fetch error's reason ("HTTP 404
// Not Found", "timeout after 30s"), a parse error's ("not a feed: …",
// parse.NoItemsReason), either prefixed with the advertised feed it
// concerns, else its text.
func Reason(err error) string {
	var de *DiscoveryError
	if errors.As(err, &de) {
		return "advertised feed " + de.FeedURL + ": " + Reason(de.Err)
	}
	var pe *parse.ParseError
	if errors.As(err, &pe) {
		return pe.Reason
	}
	var fe *fetch.Error
	if errors.As(err, &fe) {
		return fe.Reason
	}
	return err.Error()
}
