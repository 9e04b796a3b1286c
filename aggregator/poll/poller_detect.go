package poll

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"time"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/preview"
)

// A source that is only a URL, whose page advertises no feed, or whose
// scrape: block names no items, is read by detecting its main list
// (parse.Scrape without items). The selectors detection chose are kept
// in the source's state like a discovered feed: later polls read the page
// with them, without detecting, for as long as they still read entries,
// and detect afresh when the page no longer reads with them (a new
// template) or the block they were chosen for changed. A change is
// logged once.

// readDetected reads a list page whose items the source does not name:
// with the selectors recorded for it while they still give entries, else
// by detection, keeping the keys the source's block sets.
func (p *Poller) readDetected(ctx context.Context, src model.Source, st model.SourceState, resp *fetch.Response) (*parse.ListPage, error) {
	if rec := recordedDetection(src, st); rec != nil {
		page, err := parse.Scrape(ctx, p.HTML, resp.Body, resp.ContentType, resp.URL, *rec)
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
	return parse.Scrape(ctx, p.HTML, resp.Body, resp.ContentType, resp.URL, given)
}

// recordedDetection is the selectors recorded for src, or nil when none
// are, or they were chosen for another scrape: block.
func recordedDetection(src model.Source, st model.SourceState) *model.Scrape {
	if st.Detected == nil || st.Detected.Items == "" || st.DetectedFrom != blockFingerprint(src.Scrape) {
		return nil
	}
	return st.Detected
}

// blockFingerprint identifies a source's scrape: block (nil included),
// which recorded selectors were chosen for.
func blockFingerprint(sc *model.Scrape) string {
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

// keepList records, once a poll's entries are stored, what its list page
// gave: the selectors detection chose (or none, for a page read with the
// source's own or as a feed) and the warnings an editor should see. A
// poll that read nothing new (304, the same body) changes neither.
func (p *Poller) keepList(src model.Source, st *model.SourceState, res *Result, entries []model.Entry, dates []normalize.DateNote, now time.Time) {
	st.Warnings = nil
	if res.list != nil {
		if w := preview.Warnings(res.list, entries, dates, src.Location, now); len(w) > 0 {
			st.Warnings = w
		}
	}
	var rules *model.Scrape
	if res.detected {
		r := res.list.Rules
		rules = &r
	}
	log := p.logger.With("source", src.ID, "url", src.URL)
	switch prev := st.Detected; {
	case rules == nil && prev == nil:
		return
	case rules == nil:
		log.Info("list detection dropped", "items", prev.Items)
	case prev == nil:
		log.Info("list detected", "items", rules.Items, "link", rules.Link, "date", rules.Date)
	case *prev != *rules:
		log.Info("list detection changed", "items", rules.Items, "link", rules.Link, "date", rules.Date, "previous_items", prev.Items)
	case st.DetectedFrom == blockFingerprint(src.Scrape):
		return
	}
	st.Detected, st.DetectedFrom = rules, ""
	if rules != nil {
		st.DetectedFrom = blockFingerprint(src.Scrape)
	}
	// The body was read with these rules: the next poll need not read
	// an unchanged one again (see rulesChanged).
	st.ParseRules = parseRules(src, st.Detected)
}
