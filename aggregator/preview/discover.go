package preview

import (
	"context"
	"strconv"

	"github.com/tributary-rss/tributary/aggregator/doctype"
	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/read"
)

// Discover fetches rawURL once and says which feeds it offers: itself
// when it is a feed, else those an HTML page advertises, best first; and
// on an HTML page advertising none, the lists of entries detection finds
// on it, best first, each with the scrape: block that reads it (all of
// them even when they are too alike for a poll to choose: discovery is
// for choosing). The error is the fetch's failure only (restricted
// fetches refuse private addresses: fetch.ErrForbiddenAddress). A URL
// that offers no feed is no error: Discovery.Reason says why, beginning
// with parse.NoFeedReason for an HTML page without feed links and going
// on with the lists found (MsgNoFeedLists) or why none was (MsgNoList).
func (p *Previewer) Discover(ctx context.Context, rawURL string, restricted bool) (model.Discovery, error) {
	out := model.Discovery{URL: rawURL, Feeds: []model.FeedLink{}, Lists: []model.ListCandidate{}}
	resp, err := p.fetcher.Fetch(ctx, fetch.Request{URL: rawURL, Restricted: restricted})
	if err != nil {
		setReason(&out, err)
		return out, err
	}
	out.FinalURL = resp.URL
	if doctype.IsHTML(resp.Body, resp.ContentType) {
		for _, c := range parse.Discover(resp.Body, resp.ContentType, resp.URL) {
			out.Feeds = append(out.Feeds, model.FeedLink{URL: c.URL, Type: c.Type, Title: c.Title})
		}
		if len(out.Feeds) == 0 {
			p.detectLists(ctx, resp, &out)
		}
		return out, nil
	}
	feed, err := parse.Feed(resp.Body, parse.FeedOptions{URL: resp.URL, ContentType: resp.ContentType})
	if err != nil {
		setReason(&out, err)
		return out, nil
	}
	out.IsFeed = true
	out.Feeds = append(out.Feeds, model.FeedLink{URL: resp.URL, Type: feed.FeedType, Title: normalize.PlainText(feed.Title)})
	return out, nil
}

// detectLists fills out with the lists of entries on resp, an HTML page
// advertising no feed, and the reason that says so.
func (p *Previewer) detectLists(ctx context.Context, resp *fetch.Response, out *model.Discovery) {
	det, err := parse.Detect(ctx, p.HTML, resp.Body, resp.ContentType, resp.URL, model.Scrape{})
	if err != nil {
		out.Reason = parse.NoFeedReason + "; " + read.Reason(err)
		out.ReasonCode, out.ReasonArgs = Code(err)
		return
	}
	out.Lists = det.Lists
	n := len(det.Lists)
	found := "1 list of entries found"
	if n > 1 {
		found = strconv.Itoa(n) + " lists of entries found"
	}
	out.Reason = parse.NoFeedReason + "; " + found
	if det.Ambiguous {
		out.Reason += "; " + parse.AmbiguityReason(det.Lists)
	}
	out.ReasonCode, out.ReasonArgs = model.MsgNoFeedLists, []string{strconv.Itoa(n)}
}
