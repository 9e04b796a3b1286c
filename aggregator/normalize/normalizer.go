package normalize

import (
	"net/url"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// DefaultSummaryLen is the summary length in runes when Options leaves it 0.
const DefaultSummaryLen = 140

const (
	// titleFromSummaryLen bounds a title made up from the summary of an
	// untitled item: long enough to recognize, short enough for a headline.
	titleFromSummaryLen = 60
	// maxFuture is how far ahead of the fetch a date may be before we
	// distrust it; beyond that a wrong zone or a typo would pin the entry
	// to the top of every merged feed.
	maxFuture = 24 * time.Hour
)

// Options configures a Normalizer.
type Options struct {
	// SummaryLen bounds Entry.Summary in runes, ellipsis included;
	// 0 or less means DefaultSummaryLen.
	SummaryLen int
	// TrackingParams are query keys removed from links in addition to
	// DefaultTrackingParams ("key", or "prefix*").
	TrackingParams []string
}

// Normalizer converts parsed feeds to entries. It holds one sanitizing
// policy, built once because that costs ~0.5 ms, and is safe for concurrent
// use.
type Normalizer struct {
	summaryLen int
	policy     *bluemonday.Policy
	tracking   *tracking
}

// New returns a Normalizer for opts.
func New(opts Options) *Normalizer {
	n := &Normalizer{summaryLen: opts.SummaryLen, policy: newPolicy(), tracking: newTracking(opts.TrackingParams)}
	if n.summaryLen <= 0 {
		n.summaryLen = DefaultSummaryLen
	}
	return n
}

// Entries normalizes every item of feed. src gives the source ID, configured
// Title and Location (for dates without a zone); fetchURL is the URL the
// body came from (the base for relative links); now is the fetch time.
// Items whose key repeats an earlier item's are dropped (see the package
// doc), so ids in the result are unique. A nil feed gives nil.
func (n *Normalizer) Entries(feed *gofeed.Feed, src model.Source, fetchURL string, now time.Time) []model.Entry {
	if feed == nil {
		return nil
	}
	fc := newFeedContext(feed, src, fetchURL, now, n.tracking)
	entries := make([]model.Entry, 0, len(feed.Items))
	seen := make(map[string]bool, len(feed.Items))
	for _, item := range feed.Items {
		if item == nil {
			continue
		}
		e, key := n.entry(item, fc)
		if seen[key] {
			continue
		}
		seen[key] = true
		entries = append(entries, e)
	}
	return entries
}

// feedContext is what every item of one feed shares.
type feedContext struct {
	src         model.Source
	sourceTitle string
	sourceLink  string
	// linkBase resolves item links: the feed's site link, else fetchBase.
	linkBase  *url.URL
	fetchBase *url.URL
	guids     map[string]int
	tracking  *tracking
	// siteCanonical is the canonical site link: an item linking there
	// links to the home page, not to a story of its own.
	siteCanonical string
	// isRSS matters for images: gofeed fills an RSS item's Image from its
	// own scan of the content, tracking pixels included, so for RSS we
	// read the underlying media elements instead.
	isRSS bool
	now   time.Time
}

func newFeedContext(feed *gofeed.Feed, src model.Source, fetchURL string, now time.Time, tr *tracking) *feedContext {
	fc := &feedContext{
		src:       src,
		tracking:  tr,
		fetchBase: parseBase(fetchURL),
		guids:     make(map[string]int, len(feed.Items)),
		isRSS:     feed.FeedType == "rss",
		now:       now.UTC(),
	}
	fc.sourceTitle = collapseSpace(cleanText(src.Title))
	if fc.sourceTitle == "" {
		fc.sourceTitle = PlainText(feed.Title)
	}
	fc.sourceLink = resolveWeb(fc.fetchBase, feed.Link)
	fc.linkBase = parseBase(fc.sourceLink)
	fc.siteCanonical = tr.canonical(fc.sourceLink)
	if fc.linkBase == nil {
		fc.linkBase = fc.fetchBase
	}
	for _, item := range feed.Items {
		if item != nil {
			fc.guids[guidOf(item)]++
		}
	}
	return fc
}

// entry normalizes one item and returns it with its item key.
func (n *Normalizer) entry(item *gofeed.Item, fc *feedContext) (model.Entry, string) {
	link := itemLink(item, fc.linkBase)
	contentBase := parseBase(link)
	if contentBase == nil {
		contentBase = fc.fetchBase
	}
	raw := item.Content
	if strings.TrimSpace(raw) == "" {
		raw = item.Description
	}
	content, contentImage := n.sanitize(raw, contentBase)
	// Only the start of the text is ever shown (summary, or the title of
	// an untitled item), so only the start is extracted.
	textLen := max(n.summaryLen, titleFromSummaryLen)
	text := plainTextPrefix(item.Description, textLen)
	if text == "" {
		text = plainTextPrefix(raw, textLen)
	}
	published, updated, noDate := itemDates(item, fc.src.Location, fc.now)
	canonical := fc.tracking.canonical(link)
	key := itemKey(item, fc, canonical)
	if canonical == fc.siteCanonical {
		canonical = ""
	}
	return model.Entry{
		ID:            model.EntryID(fc.src.ID, key),
		SourceID:      fc.src.ID,
		SourceTitle:   fc.sourceTitle,
		SourceLink:    fc.sourceLink,
		SourceURL:     cleanText(fc.src.URL),
		GUID:          guidOf(item),
		Title:         itemTitle(item, text, link),
		Link:          fc.tracking.cleanLink(link),
		CanonicalLink: canonical,
		Summary:       Truncate(text, n.summaryLen),
		Content:       content,
		Author:        itemAuthor(item),
		Categories:    itemCategories(item),
		Image:         itemImage(item, fc, contentBase, contentImage),
		Published:     published,
		Updated:       updated,
		FirstSeen:     fc.now,
		NoDate:        noDate,
	}, key
}

// itemLink is the item's link, else its first usable alternate, as an
// absolute http(s) URL.
func itemLink(item *gofeed.Item, base *url.URL) string {
	if l := resolveWeb(base, item.Link); l != "" {
		return l
	}
	for _, raw := range item.Links {
		if l := resolveWeb(base, raw); l != "" {
			return l
		}
	}
	return ""
}

// itemTitle is the item's title as plain text; an untitled item is named by
// the start of its text, else by its link.
func itemTitle(item *gofeed.Item, text, link string) string {
	if t := PlainText(item.Title); t != "" {
		return t
	}
	if t := Truncate(text, titleFromSummaryLen); t != "" {
		return t
	}
	return link
}
