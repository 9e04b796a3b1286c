package publish

import (
	"bytes"
	"encoding/xml"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
)

const (
	generatorName = "Tributary"
	generatorURI  = "https://github.com/tributary-rss/tributary"
)

// feedData is everything one rendering of a section depends on. Renderers
// read nothing else (no clock, no randomness) so equal input gives equal
// bytes, which the ETag promises.
type feedData struct {
	Section model.Section
	Meta    model.SectionMeta
	Entries []model.Entry
	BaseURL string
	Version string
	// Hub is the WebSub hub advertised as rel="hub"; empty for none.
	Hub string
	// Query selected the entries; Next is where the following page starts
	// (nil on the last page).
	Query pageQuery
	Next  *model.Cursor
	// Pinned counts the pinned entries at the head of Entries.
	Pinned int
	// Lang is the UI language of pages ("zh" or "en"); empty for feeds.
	Lang string
	// Summary cuts summaries on the embed fragment to this many runes.
	Summary int
	// Dates shows entry dates to people (pages, embeds, the API's
	// display_date) and puts feed timestamps in the section's zone.
	Dates dateStyle
	// LangParam is the request's ?lang, which page links carry on.
	LangParam string
	// Theme and Lines style the embed fragment (see embed.go).
	Theme string
	Lines bool
	// Embed is the embed fragment's other options (see embed_style.go).
	Embed embedStyle
	// Count is the section's number of entries on the index; -1 unknown.
	Count int64
	// SizeHint is about the bytes of the render (a bound, see
	// pagebytes.go): its buffer is made that large at once rather than
	// doubled and copied as it fills.
	SizeHint int
	// PageSources are the ids of sources configured as list pages
	// (scrape:): their URL is an HTML page, never a feed to subscribe to.
	PageSources map[string]bool
}

// nextURL is the absolute URL of the next page in format f (RFC 5005
// section 3 paging), or empty on the last page.
func (d feedData) nextURL(f format) string {
	if d.Next == nil {
		return ""
	}
	return d.feedURL(f) + "?" + d.Query.nextValues(*d.Next).Encode()
}

func (d feedData) title() string {
	if d.Section.Title != "" {
		return d.Section.Title
	}
	return d.Section.ID
}

func (d feedData) pageURL() string {
	return d.BaseURL + "/sections/" + d.Section.ID
}

func (d feedData) feedURL(f format) string {
	return d.pageURL() + "." + string(f)
}

func (d feedData) language() string {
	if d.Section.Language != "" {
		return d.Section.Language
	}
	return DefaultLanguage
}

func (d feedData) generator() string {
	if d.Version == "" {
		return generatorName
	}
	return generatorName + " " + d.Version
}

// updated is the section's last change: the store's time, else the newest
// entry's, else the Unix epoch. Never the clock, so renders are reproducible.
func (d feedData) updated() time.Time {
	if !d.Meta.UpdatedAt.IsZero() {
		return d.Meta.UpdatedAt.UTC()
	}
	var newest time.Time
	for _, e := range d.Entries {
		if t := entryUpdated(e); t.After(newest) {
			newest = t
		}
	}
	if newest.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return newest
}

func entryURN(e model.Entry) string {
	return "urn:tributary:entry:" + e.ID
}

func sourceURN(e model.Entry) string {
	return "urn:tributary:source:" + e.SourceID
}

// entryPublished falls back to FirstSeen for entries stored before the store
// filled Published itself.
func entryPublished(e model.Entry) time.Time {
	if !e.Published.IsZero() {
		return e.Published.UTC()
	}
	return e.FirstSeen.UTC()
}

func entryUpdated(e model.Entry) time.Time {
	if !e.Updated.IsZero() {
		return e.Updated.UTC()
	}
	return entryPublished(e)
}

// articleURL is the absolute URL of e's article page on the portal
// (see article.go).
func (d feedData) articleURL(e model.Entry) string {
	return articleURL(d.BaseURL, d.Section.ID, e.ID)
}

// entryLink is where outputs send a reader of e: its article page on the
// portal when the section links there (every entry has one, with or
// without a link of its own), else the entry's own link.
func (d feedData) entryLink(e model.Entry) string {
	if d.Section.LinksToPortal() {
		return d.articleURL(e)
	}
	return e.Link
}

// externalLink is the original of an entry whose outputs link to the
// portal, for the fields that keep it (JSON Feed external_url, Atom
// rel="via"); empty when outputs link to the original already.
func (d feedData) externalLink(e model.Entry) string {
	if d.Section.LinksToPortal() {
		return e.Link
	}
	return ""
}

// entryAuthor names who wrote e: its own author, else its source (the
// config's title, else the feed's own), so that a merged feed says which
// member an entry without a byline comes from.
func entryAuthor(e model.Entry) string {
	if e.Author != "" {
		return e.Author
	}
	return e.SourceTitle
}

// sourceIsFeed reports whether e's source URL is a feed (what Atom's
// <source> may link as rel="self"), not the HTML page a list-page source
// reads or a homepage advertising its feed: a source configured with
// scrape:, one whose URL is its own site link (as a list page read by
// detection is), a site's root, or a URL named like a page (.htm, .html,
// .shtml, .jsp, .asp, .aspx: what CMS list pages are called; feeds never
// are).
func (d feedData) sourceIsFeed(e model.Entry) bool {
	if e.SourceURL == "" || d.PageSources[e.SourceID] || pageURLShape(e.SourceURL) {
		return false
	}
	return strings.TrimRight(e.SourceURL, "/") != strings.TrimRight(e.SourceLink, "/")
}

// pageURLShape reports whether raw is a site's root or names an HTML page.
func pageURLShape(raw string) bool {
	u, err := url.Parse(raw)
	if err != nil {
		return false
	}
	if u.Path == "" || u.Path == "/" {
		return true
	}
	ext := strings.ToLower(path.Ext(u.Path))
	switch ext {
	case ".htm", ".html", ".shtml", ".jsp", ".asp", ".aspx":
		return true
	}
	return false
}

// sourceHome is the source's site, else its feed URL.
func sourceHome(e model.Entry) string {
	if e.SourceLink != "" {
		return e.SourceLink
	}
	return e.SourceURL
}

// encodeXML appends doc, indented, and a newline to buf.
func encodeXML(buf *bytes.Buffer, doc any) error {
	enc := xml.NewEncoder(buf)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return nil
}
