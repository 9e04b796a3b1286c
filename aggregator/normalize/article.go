package normalize

// Article turns the HTML of an article fetched from an entry's link (see
// parse.Article) into what the entry keeps: content sanitized and bounded
// like any feed content (see SanitizeHTML; pageURL resolves what is still
// relative), a plain-text summary of Options.SummaryLen runes for an entry
// that had none, and the first real image for one that had none. Empty
// content means the article held nothing worth keeping.
func (n *Normalizer) Article(html, pageURL string) (content, summary, image string) {
	content, image = n.sanitize(html, parseBase(pageURL))
	if content == "" {
		return "", "", ""
	}
	summary = Truncate(plainTextPrefix(content, n.summaryLen), n.summaryLen)
	return content, summary, image
}
