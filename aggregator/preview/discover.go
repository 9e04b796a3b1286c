package preview

import (
	"context"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// Discover fetches rawURL once and says which feeds it offers: itself
// when it is a feed, else those an HTML page advertises, best first. The
// error is the fetch's failure only (restricted fetches refuse private
// addresses: fetch.ErrForbiddenAddress). A URL that offers nothing is no
// error: Discovery.Reason says why, parse.NoFeedReason for an HTML page
// without feed links.
func (p *Previewer) Discover(ctx context.Context, rawURL string, restricted bool) (model.Discovery, error) {
	out := model.Discovery{URL: rawURL, Feeds: []model.FeedLink{}}
	resp, err := p.fetcher.Fetch(ctx, fetch.Request{URL: rawURL, Restricted: restricted})
	if err != nil {
		setReason(&out, err)
		return out, err
	}
	out.FinalURL = resp.URL
	if parse.IsHTML(resp.Body, resp.ContentType) {
		for _, c := range parse.Discover(resp.Body, resp.ContentType, resp.URL) {
			out.Feeds = append(out.Feeds, model.FeedLink{URL: c.URL, Type: c.Type, Title: c.Title})
		}
		if len(out.Feeds) == 0 {
			out.Reason, out.ReasonCode = parse.NoFeedReason, model.MsgNoFeed
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
