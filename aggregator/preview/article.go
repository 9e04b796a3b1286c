package preview

import (
	"cmp"
	"context"
	"mime"
	"strings"

	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/parse"
)

// article fetches the article of the entry a poll would fetch first (the
// newest with a link) and extracts it with src.Content's rules, as the
// poller does: its sanitized HTML becomes that entry's content, and its
// summary and first image fill the entry's when the source gave none.
// One article only: a preview is a look at the rules, and must not hammer
// a small school server.
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
		a.Error = Reason(err)
		return a
	}
	if !parse.IsHTML(resp.Body, resp.ContentType) {
		a.Error = "not an HTML page (" + cmp.Or(mediaType(resp.ContentType), "no Content-Type") + ")"
		return a
	}
	body, title, err := parse.Article(ctx, p.HTML, resp.Body, resp.ContentType, resp.URL, *src.Content)
	if err != nil {
		a.Error = err.Error()
		return a
	}
	content, summary, image := p.normalizer.Article(body, resp.URL)
	if content == "" {
		a.Error = "article is empty once sanitized: " + parse.ErrNoArticle.Error()
		return a
	}
	entries[i].Content = content
	entries[i].Summary = cmp.Or(entries[i].Summary, summary)
	entries[i].Image = cmp.Or(entries[i].Image, image)
	a.Title = normalize.PlainText(title)
	a.ContentLength = len(content)
	a.Text = normalize.Truncate(normalize.PlainText(content), cmp.Or(max(p.TextLen, 0), DefaultTextLen))
	return a
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

func mediaType(contentType string) string {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		mt, _, _ = strings.Cut(contentType, ";")
	}
	return strings.ToLower(strings.TrimSpace(mt))
}
