package preview

import (
	"cmp"
	"context"
	"time"

	"github.com/tributary-rss/tributary/aggregator/doctype"
	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
	"github.com/tributary-rss/tributary/aggregator/read"
)

// article fetches the article of the entry a poll would fetch first (the
// newest with a link) and reads it with src.Content's rules, as the
// poller does: its sanitized HTML becomes that entry's content, its
// summary and first image fill the entry's when the source gave none,
// and what it says of itself completes the entry as the store would (its
// headline for a cut title, its time for a bare day, its author: see
// normalize.ApplyArticle). The article's own headline, time and author,
// and its start as it will be kept, are in the answer. One article
// only: a preview is a look at the rules, and must not hammer a small
// school server.
func (p *Previewer) article(ctx context.Context, src model.Source, entries []model.Entry) *model.PreviewArticle {
	i := newestLinked(entries)
	if i < 0 {
		return nil
	}
	a := &model.PreviewArticle{URL: entries[i].Link}
	if ext := parse.DocumentExt(a.URL); ext != "" {
		a.Error = "links to a " + ext + " document, not an article page"
		return a
	}
	resp, err := p.fetcher.Fetch(ctx, fetch.Request{URL: a.URL, Headers: fetch.HeadersFor(src.Headers, src.URL, a.URL), Restricted: src.Restricted})
	if err != nil {
		a.Error = read.Reason(err)
		return a
	}
	if !doctype.IsHTML(resp.Body, resp.ContentType) {
		a.Error = "not an HTML page (" + cmp.Or(doctype.MediaType(resp.ContentType), "no Content-Type") + ")"
		return a
	}
	page, err := parse.Article(ctx, p.HTML, resp.Body, resp.ContentType, resp.URL, *src.Content)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	art := p.normalizer.Article(page, src, resp.URL, p.now())
	if art.Content == "" {
		a.Error = "article is empty once sanitized: " + parse.ErrNoArticle.Error()
		return a
	}
	e := entries[i]
	e.Content, e.ArticleLink = art.Content, a.URL
	e.Summary = cmp.Or(e.Summary, art.Summary)
	e.Image = cmp.Or(e.Image, art.Image)
	entries[i] = normalize.ApplyArticle(e, art.Meta)
	p.describeArticle(a, art, src)
	return a
}

// describeArticle fills a with what the article art says of itself and
// its start as it will be kept.
func (p *Previewer) describeArticle(a *model.PreviewArticle, art normalize.Article, src model.Source) {
	if m := art.Meta; m != nil {
		a.Title, a.Author = m.Title, m.Author
		if !m.Published.IsZero() {
			t := m.Published.In(cmp.Or(src.Location, time.UTC))
			a.Published = &t
		}
	}
	a.ContentLength = len(art.Content)
	a.Text = normalize.Truncate(normalize.PlainText(art.Content), cmp.Or(max(p.TextLen, 0), DefaultTextLen))
	a.HTML = p.normalizer.Excerpt(art.Content, model.MaxPreviewHTML)
}

// newestLinked is the index of the newest entry with a link (the first
// of equals), or -1.
func newestLinked(entries []model.Entry) int {
	best := -1
	for i, e := range entries {
		if e.Link != "" && (best < 0 || e.Published.After(entries[best].Published)) {
			best = i
		}
	}
	return best
}
