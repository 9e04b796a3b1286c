package model

import "time"

// The answers of discovery and previews: what reading a URL once would
// give, with nothing stored. The admin API encodes them as they are and
// the CLI prints them, so both tell an operator the same thing.

// FeedLink is a feed an HTML page advertises with <link rel="alternate">.
type FeedLink struct {
	// URL is absolute.
	URL string `json:"url"`
	// Type is "atom", "rss" or "json".
	Type  string `json:"type"`
	Title string `json:"title"`
}

// Discovery is what a URL offers to poll.
type Discovery struct {
	// URL is the URL asked about; FinalURL where redirects led.
	URL      string `json:"url"`
	FinalURL string `json:"final_url,omitempty"`
	// IsFeed is true when the URL is a feed itself; Feeds then holds it
	// alone, with its type and title.
	IsFeed bool `json:"is_feed"`
	// Feeds are the feeds an HTML page advertises, best first (Atom, RSS,
	// then JSON Feed). Never nil, so that it encodes as [].
	Feeds []FeedLink `json:"feeds"`
	// Reason says why Feeds is empty: the parse package's NoFeedReason for
	// an HTML page without feed links, else why the URL could not be read
	// ("HTTP 404 Not Found", "not a feed: XML with root <urlset>").
	Reason string `json:"reason,omitempty"`
	// ReasonCode names Reason for a console that words it in the
	// reader's language (one of the Msg… codes; "" when there is no
	// reason, or none fits), and ReasonArgs fill its blanks.
	ReasonCode string   `json:"reason_code,omitempty"`
	ReasonArgs []string `json:"reason_args,omitempty"`
	// Lists are the lists of entries detection found on an HTML page that
	// advertises no feed, best first, each with a scrape: block that reads
	// it. Never nil, so that it encodes as [].
	Lists []ListCandidate `json:"lists"`
}

// Kinds of document a preview read (Preview.Kind).
const (
	PreviewFeed       = "feed"            // the URL is a feed
	PreviewDiscovered = "discovered_feed" // an HTML page, read through the first feed it advertises
	PreviewListPage   = "list_page"       // an HTML page read with the source's scrape: selectors
)

// Preview is what one poll of a source would store, without storing it.
type Preview struct {
	// URL is the source's URL; FetchedURL the document the entries come
	// from (the URL after redirects, or the feed discovery led to).
	URL        string `json:"url"`
	FetchedURL string `json:"fetched_url,omitempty"`
	Kind       string `json:"kind,omitempty"`
	// Status, ContentType, Charset and Bytes describe the response the
	// entries were read from (Charset is what the body was converted from).
	Status      int    `json:"status,omitempty"`
	ContentType string `json:"content_type,omitempty"`
	Charset     string `json:"charset,omitempty"`
	Bytes       int    `json:"bytes,omitempty"`
	// Title is the source title the entries would carry.
	Title string `json:"title,omitempty"`
	// Entries never nil, so that it encodes as [].
	Entries []PreviewEntry `json:"entries"`
	// Skipped are the list-page items that gave no entry, and the entries
	// the source's include/exclude leaves out. Never nil.
	Skipped []PreviewSkip `json:"skipped"`
	// Article is the first entry's article, when the source fetches them
	// (content: fetch).
	Article *PreviewArticle `json:"article,omitempty"`
	// Detected holds the selectors detection chose, when the source gave
	// no scrape: block (or a partial one) and its page advertises no feed.
	Detected *Scrape `json:"detected,omitempty"`
	// Warnings are what an editor should check about a list page's
	// reading (see ListWarning). Never nil.
	Warnings []ListWarning `json:"warnings"`
	// Error says why the source could not be read (fetch or parse); the
	// fields above hold what was done before it.
	Error string `json:"error,omitempty"`
	// ErrorCode names Error as ReasonCode names a discovery's reason,
	// with its ErrorArgs.
	ErrorCode string   `json:"error_code,omitempty"`
	ErrorArgs []string `json:"error_args,omitempty"`
}

// PreviewEntry is an entry as it would be stored, reduced to what an
// operator checks.
type PreviewEntry struct {
	ID    string `json:"id"`
	Title string `json:"title"`
	Link  string `json:"link,omitempty"`
	// Published is in the source's time zone; nil with NoDate when the
	// source gave no usable date (the entry would be dated when first
	// stored).
	Published *time.Time `json:"published,omitempty"`
	NoDate    bool       `json:"no_date,omitempty"`
	// DateText is the date as the source printed it ("2025-03-10",
	// "[03-10]", "03/10 2025"), so an editor can check the reading of it;
	// "" when the source printed none.
	DateText string `json:"date_text,omitempty"`
	// Summary is plain text, cut as stored.
	Summary string `json:"summary,omitempty"`
	Image   string `json:"image,omitempty"`
	// ContentLength is the stored (sanitized) content's size in bytes.
	ContentLength int `json:"content_length"`
}

// PreviewSkip is an item that gives no entry.
type PreviewSkip struct {
	// Position is the item's place among those scrape.items matched, from
	// 1; 0 for an entry left out by a filter.
	Position int    `json:"position,omitempty"`
	Title    string `json:"title,omitempty"`
	Reason   string `json:"reason"`
	// Code names Reason for a console (one of the MsgSkip… codes; ""
	// when none fits).
	Code string `json:"code,omitempty"`
}

// PreviewArticle is an article fetched from an entry's link.
type PreviewArticle struct {
	URL string `json:"url"`
	// Title is the article's own headline; Published its publication
	// time (in the source's zone; nil when it gives none) and Author its
	// author, as the article page gives them. Where they complete the
	// entry (a cut headline, a day without a time, no author), the
	// previewed entry shows the result.
	Title     string     `json:"title,omitempty"`
	Published *time.Time `json:"published,omitempty"`
	Author    string     `json:"author,omitempty"`
	// ContentLength is the sanitized article's size in bytes; Text the
	// start of its text.
	ContentLength int    `json:"content_length"`
	Text          string `json:"text,omitempty"`
	// HTML is the article as it will be kept (sanitized), cut to
	// MaxPreviewHTML bytes and closed, for a console to show.
	HTML  string `json:"html,omitempty"`
	Error string `json:"error,omitempty"`
}

// MaxPreviewHTML bounds PreviewArticle.HTML in bytes.
const MaxPreviewHTML = 64 << 10
