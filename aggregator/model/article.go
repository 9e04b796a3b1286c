package model

import "time"

// ArticlePage is an article page as package parse reads it, before
// normalizing: its body and what the page says of the article, as
// printed. Package normalize turns it into what the entry keeps.
type ArticlePage struct {
	// HTML is the article's body, not yet sanitized.
	HTML string
	// Title is the page's headline: a known CMS's title element, a
	// heading near the body, og:title, or <title> without the site's
	// name. Empty when the page names only its site or column.
	Title string
	// Date is the article's publication time as the page prints it
	// ("2026-12-03 16:35", "2026年12月3日"), from its info line or its
	// metadata; empty when it gives none.
	Date string
	// Author is who wrote or sent the article: the info line's 作者,
	// else 来源 or 供稿, else 发布者, else 编辑; empty when none.
	Author string
}

// ArticleMeta is what an entry's fetched article says of itself,
// normalized. The entry keeps it (Entry.Article), so that a re-poll of
// its list page, which brings the list's cut headline and bare day again,
// is completed again the same way (see normalize.ApplyArticle).
type ArticleMeta struct {
	// Title is the article's headline, plain text cut to the title limit.
	Title string `json:"title,omitempty"`
	// Published is the article's publication time in its source's zone;
	// zero when it gives none. Midnight means a day without a time.
	Published time.Time `json:"published,omitzero"`
	// Author is plain text cut to the title limit.
	Author string `json:"author,omitempty"`
}

// IsZero reports whether m says nothing (nil included).
func (m *ArticleMeta) IsZero() bool {
	return m == nil || m.Title == "" && m.Published.IsZero() && m.Author == ""
}
