package normalize

import (
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// Article is an article page (see parse.Article) normalized: what the
// entry it belongs to keeps.
type Article struct {
	// Content is the body, sanitized and bounded like any feed content
	// (see SanitizeHTML); empty when the article held nothing worth
	// keeping.
	Content string
	// Summary is a plain-text summary of Options.SummaryLen runes, for an
	// entry that had none; Image the first real image, for one that had
	// none.
	Summary, Image string
	// Meta is what the article says of itself (headline, publication
	// time, author), for ApplyArticle; nil when it says nothing.
	Meta *model.ArticleMeta
}

// Article normalizes an article page fetched for an entry of src from
// pageURL (the base of what is still relative) at now. The headline and
// author become plain text cut to the title length, the headline without
// src's title_strip labels; the publication time is read in src's zone
// (see ParseDateAt) and dropped when more than a day ahead of now, like
// an entry's own.
func (n *Normalizer) Article(page model.ArticlePage, src model.Source, pageURL string, now time.Time) Article {
	content, image := n.sanitize(page.HTML, parseBase(pageURL))
	if content == "" {
		return Article{}
	}
	a := Article{Content: content, Image: image, Summary: Truncate(plainTextPrefix(content, n.summaryLen), n.summaryLen)}
	meta := model.ArticleMeta{
		Title:     lenientTitleStrip(src.TitleStrip).Apply(n.title(page.Title)),
		Published: articlePublished(page.Date, src.Location, now),
		Author:    n.title(page.Author),
	}
	if !meta.IsZero() {
		a.Meta = &meta
	}
	return a
}

// articlePublished reads an article's printed publication time in loc;
// zero when it does not parse or is more than maxFuture after now.
func articlePublished(raw string, loc *time.Location, now time.Time) time.Time {
	if loc == nil {
		loc = time.UTC
	}
	t, ok := ParseDateAt(raw, loc, now)
	if !ok || !now.IsZero() && t.After(now.Add(maxFuture)) {
		return time.Time{}
	}
	return t.In(loc)
}

// Excerpt is sanitized HTML cut to at most maxBytes and closed (see
// limitHTML): the start of an article, well-formed, for a preview to
// show.
func (n *Normalizer) Excerpt(html string, maxBytes int) string {
	return limitHTML(html, n.htmlDepth, maxBytes)
}
