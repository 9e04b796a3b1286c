package publish

import (
	"bytes"
	"encoding/json"
	"time"

	"github.com/gorilla/feeds"
	"github.com/tributary-rss/tributary/aggregator/model"
)

const jsonFeedVersion = "https://jsonfeed.org/version/1.1"

// jsonFeed shadows feeds.JSONFeed's items: JSON Feed 1.1 requires "items"
// even when empty, and ours carry an extension object.
type jsonFeed struct {
	feeds.JSONFeed
	Items []*jsonItem `json:"items"`
}

type jsonItem struct {
	feeds.JSONItem
	Tributary jsonSourceExt `json:"_tributary"`
}

// jsonSourceExt names the origin of a merged item; JSON Feed has no source
// field, and underscore keys are its extension mechanism.
type jsonSourceExt struct {
	SourceID    string `json:"source_id"`
	SourceTitle string `json:"source_title,omitempty"`
	SourceURL   string `json:"source_url,omitempty"`
	SourceLink  string `json:"source_link,omitempty"`
}

func renderJSON(d feedData) ([]byte, error) {
	feed := jsonFeed{
		JSONFeed: feeds.JSONFeed{
			Version:     jsonFeedVersion,
			Title:       d.title(),
			Language:    d.language(),
			HomePageUrl: d.pageURL(),
			FeedUrl:     d.feedURL(formatJSON),
			NextUrl:     d.nextURL(formatJSON),
			Description: d.Section.Description,
		},
		Items: make([]*jsonItem, 0, len(d.Entries)),
	}
	if d.Hub != "" {
		feed.Hubs = []*feeds.JSONHub{{Type: "WebSub", Url: d.Hub}}
	}
	for _, e := range d.Entries {
		feed.Items = append(feed.Items, newJSONItem(d, e))
	}
	var buf bytes.Buffer
	buf.Grow(d.SizeHint)
	enc := json.NewEncoder(&buf)
	// Content is HTML; \u003c escapes would only make the feed unreadable,
	// and the media type plus nosniff keep browsers from rendering it.
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(feed); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// newJSONItem writes dates in the section's zone with its offset, as RSS
// and Atom do: a reader that shows the first ten characters of
// date_published must show the day the section's pages show. When the
// section links to the portal, url is the entry's article page there and
// external_url the original. An entry without an author is credited to
// its source.
func newJSONItem(d feedData, e model.Entry) *jsonItem {
	item := &jsonItem{
		JSONItem: feeds.JSONItem{
			Id:            entryURN(e),
			Url:           d.entryLink(e),
			ExternalUrl:   d.externalLink(e),
			Title:         e.Title,
			ContentHTML:   e.Content,
			Summary:       e.Summary,
			Image:         e.Image,
			PublishedDate: timePtr(d.Dates, entryPublished(e)),
			ModifiedDate:  timePtr(d.Dates, entryUpdated(e)),
			Tags:          e.Categories,
		},
		Tributary: jsonSourceExt{
			SourceID:    e.SourceID,
			SourceTitle: e.SourceTitle,
			SourceURL:   e.SourceURL,
			SourceLink:  e.SourceLink,
		},
	}
	if e.Content == "" {
		item.ContentText = jsonContentText(e)
	}
	if author := entryAuthor(e); author != "" {
		item.Authors = []*feeds.JSONAuthor{{Name: author}}
	}
	return item
}

// jsonContentText is never empty: JSON Feed 1.1 requires content_html or
// content_text, and the omitempty tags would drop an empty string.
func jsonContentText(e model.Entry) string {
	for _, s := range []string{e.Summary, e.Title, e.Link} {
		if s != "" {
			return s
		}
	}
	return " "
}

// timePtr is t in the style's zone, nil when zero.
func timePtr(ds dateStyle, t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	t = ds.in(t)
	return &t
}
