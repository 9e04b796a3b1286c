package preview

import (
	"cmp"
	"context"
	"slices"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// article fetches the first linked entry's article and extracts it with
// src.Content's rules, as a poll with content: fetch does: its sanitized
// HTML becomes that entry's content, and its summary and first image fill
// the entry's when the list page gave none. One article only: a preview is a
// look at the rules, and must not hammer a small school server.
func (p *Previewer) article(ctx context.Context, src model.Source, entries []model.Entry) *model.PreviewArticle {
	i := slices.IndexFunc(entries, func(e model.Entry) bool { return e.Link != "" })
	if i < 0 {
		return nil
	}
	a := &model.PreviewArticle{URL: entries[i].Link}
	resp, err := p.fetcher.Fetch(ctx, fetch.Request{URL: a.URL, Headers: headersFor(src, a.URL), Restricted: src.Restricted})
	if err != nil {
		a.Error = Reason(err)
		return a
	}
	body, title, err := parse.Article(resp.Body, resp.ContentType, resp.URL, *src.Content)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	content, summary, image := p.normalizer.Article(body, resp.URL)
	entries[i].Content = content
	entries[i].Summary = cmp.Or(entries[i].Summary, summary)
	entries[i].Image = cmp.Or(entries[i].Image, image)
	a.Title = normalize.PlainText(title)
	a.ContentLength = len(content)
	a.Text = normalize.Truncate(normalize.PlainText(content), cmp.Or(max(p.TextLen, 0), DefaultTextLen))
	return a
}
