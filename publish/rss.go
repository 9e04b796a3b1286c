package publish

import (
	"html"
	"time"

	"github.com/gorilla/feeds"
	"github.com/tributary-rss/tributary/aggregator/model"
)

const (
	nsAtom  = "http://www.w3.org/2005/Atom"
	nsDC    = "http://purl.org/dc/elements/1.1/"
	nsMedia = "http://search.yahoo.com/mrss/"
)

// rssDoc extends feeds.RssFeedXml with the namespaces our channel uses.
// Fields declared here shadow the embedded ones with the same XML name.
type rssDoc struct {
	feeds.RssFeedXml
	AtomNS  string      `xml:"xmlns:atom,attr"`
	DCNS    string      `xml:"xmlns:dc,attr"`
	MediaNS string      `xml:"xmlns:media,attr"`
	Channel *rssChannel `xml:"channel"`
}

// rssChannel adds the atom:link elements gorilla/feeds cannot express:
// self, next (paging) and hub (WebSub).
type rssChannel struct {
	feeds.RssFeed
	Links []rssAtomLink `xml:"atom:link"`
	Items []*rssItem    `xml:"item"`
}

type rssAtomLink struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr,omitempty"`
}

// rssItem adds what feeds.RssItem lacks: several categories, a creator
// name (RSS <author> must be an e-mail address), <source url> and an image.
type rssItem struct {
	feeds.RssItem
	Creator    string           `xml:"dc:creator,omitempty"`
	Categories []string         `xml:"category"`
	Source     *rssSource       `xml:"source"`
	Media      *rssMediaContent `xml:"media:content"`
}

type rssSource struct {
	URL   string `xml:"url,attr"`
	Title string `xml:",chardata"`
}

type rssMediaContent struct {
	URL    string `xml:"url,attr"`
	Medium string `xml:"medium,attr"`
}

func renderRSS(d feedData) ([]byte, error) {
	ch := &rssChannel{
		RssFeed: feeds.RssFeed{
			Title:         d.title(),
			Link:          d.pageURL(),
			Description:   d.Section.Description,
			Language:      d.language(),
			LastBuildDate: d.Dates.in(d.updated()).Format(time.RFC1123Z),
			Generator:     d.generator(),
		},
		Links: []rssAtomLink{{Href: d.feedURL(formatRSS), Rel: "self", Type: "application/rss+xml"}},
		Items: make([]*rssItem, 0, len(d.Entries)),
	}
	if next := d.nextURL(formatRSS); next != "" {
		ch.Links = append(ch.Links, rssAtomLink{Href: next, Rel: "next", Type: "application/rss+xml"})
	}
	if d.Hub != "" {
		ch.Links = append(ch.Links, rssAtomLink{Href: d.Hub, Rel: "hub"})
	}
	for _, e := range d.Entries {
		ch.Items = append(ch.Items, newRSSItem(d, e))
	}
	doc := rssDoc{
		RssFeedXml: feeds.RssFeedXml{
			Version:          "2.0",
			ContentNamespace: "http://purl.org/rss/1.0/modules/content/",
		},
		AtomNS:  nsAtom,
		DCNS:    nsDC,
		MediaNS: nsMedia,
		Channel: ch,
	}
	return marshalFeedXML(d, doc)
}

// newRSSItem writes pubDate in the section's zone, the date its pages
// show (and the one the browser view of the feed reads). Its link is the
// portal's article page when the section links there; the guid stays the
// entry's URN either way, so readers see no new items when link_to
// changes. An entry without an author is credited to its source.
func newRSSItem(d feedData, e model.Entry) *rssItem {
	dates := d.Dates
	// An RSS description is HTML. The summary is plain text that may read
	// like markup ("&lt;script&gt;" in the source), so it is escaped.
	desc := e.Content
	if desc == "" {
		desc = html.EscapeString(e.Summary)
	}
	item := &rssItem{
		RssItem: feeds.RssItem{
			Title:       e.Title,
			Link:        d.entryLink(e),
			Description: desc,
			Guid:        &feeds.RssGuid{Id: entryURN(e), IsPermaLink: "false"},
		},
		Creator:    entryAuthor(e),
		Categories: e.Categories,
	}
	if t := entryPublished(e); !t.IsZero() {
		item.PubDate = dates.in(t).Format(time.RFC1123Z)
	}
	if e.SourceURL != "" {
		item.Source = &rssSource{URL: e.SourceURL, Title: e.SourceTitle}
	}
	if e.Image != "" {
		item.Media = &rssMediaContent{URL: e.Image, Medium: "image"}
	}
	return item
}
