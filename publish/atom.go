package publish

import (
	"github.com/gorilla/feeds"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// atomFeed extends feeds.AtomFeed with what it cannot express: xml:lang,
// a self link beside the alternate one, and a generator. Fields declared
// here shadow the embedded ones with the same XML name.
type atomFeed struct {
	feeds.AtomFeed
	Lang      string           `xml:"xml:lang,attr"`
	Links     []feeds.AtomLink `xml:"link"`
	Generator atomGenerator    `xml:"generator"`
	Entries   []*atomEntry     `xml:"entry"`
}

type atomGenerator struct {
	URI     string `xml:"uri,attr"`
	Version string `xml:"version,attr,omitempty"`
	Name    string `xml:",chardata"`
}

// atomEntry replaces feeds.AtomEntry's single term-less category and plain
// source string, which RFC 4287 validators reject.
type atomEntry struct {
	feeds.AtomEntry
	Categories []atomCategory `xml:"category"`
	Source     *atomSource    `xml:"source"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// atomSource keeps the origin of a merged entry (RFC 4287 section 4.2.11).
type atomSource struct {
	ID      string           `xml:"id"`
	Title   string           `xml:"title,omitempty"`
	Links   []feeds.AtomLink `xml:"link"`
	Updated string           `xml:"updated"`
}

func renderAtom(d feedData) ([]byte, error) {
	self := d.feedURL(formatAtom)
	feed := atomFeed{
		AtomFeed: feeds.AtomFeed{
			Xmlns:    nsAtom,
			Title:    d.title(),
			Id:       self,
			Updated:  d.Dates.atom(d.updated()),
			Subtitle: d.Section.Description,
			// Entries without an author inherit this one; RFC 4287 requires
			// every entry to have an author somewhere.
			Author: &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: d.title()}},
		},
		Lang: d.language(),
		Links: []feeds.AtomLink{
			{Href: self, Rel: "self", Type: "application/atom+xml"},
			{Href: d.pageURL(), Rel: "alternate", Type: "text/html"},
		},
		Generator: atomGenerator{URI: generatorURI, Version: d.Version, Name: generatorName},
		Entries:   make([]*atomEntry, 0, len(d.Entries)),
	}
	if next := d.nextURL(formatAtom); next != "" {
		feed.Links = append(feed.Links, feeds.AtomLink{Href: next, Rel: "next", Type: "application/atom+xml"})
	}
	if d.Hub != "" {
		feed.Links = append(feed.Links, feeds.AtomLink{Href: d.Hub, Rel: "hub"})
	}
	for _, e := range d.Entries {
		feed.Entries = append(feed.Entries, newAtomEntry(d, e))
	}
	return marshalFeedXML(d, feed)
}

// newAtomEntry writes times in the section's zone (RFC 3339 with its
// offset), the date its pages show. When the section links to the portal
// the alternate link is the entry's article page there and rel="via" the
// original (RFC 4287 section 4.2.7.2). An entry without an author is
// credited to its source.
func newAtomEntry(d feedData, e model.Entry) *atomEntry {
	dates := d.Dates
	entry := &atomEntry{AtomEntry: feeds.AtomEntry{
		Id:      entryURN(e),
		Title:   e.Title,
		Updated: dates.atom(entryUpdated(e)),
	}}
	if t := entryPublished(e); !t.IsZero() {
		entry.Published = dates.atom(t)
	}
	if link := d.entryLink(e); link != "" {
		entry.Links = []feeds.AtomLink{{Href: link, Rel: "alternate", Type: "text/html"}}
	}
	if via := d.externalLink(e); via != "" {
		entry.Links = append(entry.Links, feeds.AtomLink{Href: via, Rel: "via", Type: "text/html"})
	}
	if author := entryAuthor(e); author != "" {
		entry.Author = &feeds.AtomAuthor{AtomPerson: feeds.AtomPerson{Name: author}}
	}
	if e.Summary != "" {
		entry.Summary = &feeds.AtomSummary{Content: e.Summary, Type: "text"}
	}
	switch {
	case e.Content != "":
		entry.Content = &feeds.AtomContent{Content: e.Content, Type: "html"}
	case len(entry.Links) == 0:
		// RFC 4287 section 4.1.2: an entry without an alternate link must
		// have content.
		entry.Content = &feeds.AtomContent{Content: e.Summary, Type: "text"}
	}
	for _, c := range e.Categories {
		entry.Categories = append(entry.Categories, atomCategory{Term: c})
	}
	entry.Source = newAtomSource(d, e)
	return entry
}

// newAtomSource links the source's site as rel="alternate" and, only
// when the source URL is a feed, that feed as rel="self": a list page's
// URL is HTML, which a reader must not take for the source's feed.
func newAtomSource(d feedData, e model.Entry) *atomSource {
	dates := d.Dates
	src := &atomSource{
		ID:    sourceURN(e),
		Title: e.SourceTitle,
		// The source feed's own updated time is not stored; the entry's is
		// a time at which the source certainly had this content.
		Updated: dates.atom(entryUpdated(e)),
	}
	if home := sourceHome(e); home != "" {
		src.Links = append(src.Links, feeds.AtomLink{Href: home, Rel: "alternate"})
	}
	if d.sourceIsFeed(e) {
		src.Links = append(src.Links, feeds.AtomLink{Href: e.SourceURL, Rel: "self"})
	}
	return src
}
