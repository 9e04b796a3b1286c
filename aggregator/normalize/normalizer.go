package normalize

import (
	"cmp"
	"net/url"
	"strings"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// DefaultSummaryLen is the summary length in runes when Options leaves it 0.
const DefaultSummaryLen = 140

// Limits on one feed and one entry, used when Options leaves them 0. Each
// bounds something the author of a feed controls and a reader or the
// store pays for: a title of megabytes, content nested 500,000 elements
// deep, thousands of categories, a document of 100,000 items.
const (
	// DefaultMaxItems is how many items of one document are normalized:
	// the newest (see Entries).
	DefaultMaxItems = 1000
	// DefaultTitleLen bounds titles, author names and the source title,
	// in runes, ellipsis included.
	DefaultTitleLen = 1000
	// DefaultContentBytes bounds Entry.Content in bytes; longer content
	// is cut between tokens and closed (see SanitizeHTML).
	DefaultContentBytes = 256 << 10
	// DefaultHTMLDepth is the element nesting kept in content; the tags
	// of deeper elements are dropped, their text kept.
	DefaultHTMLDepth = 100
	// DefaultMaxCategories and DefaultCategoryLen bound Entry.Categories:
	// how many, and each one's length in runes, ellipsis included.
	DefaultMaxCategories = 20
	DefaultCategoryLen   = 100
)

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
	// MaxItems is how many items of one feed Entries takes, the newest;
	// 0 or less means DefaultMaxItems.
	MaxItems int
	// TitleLen bounds titles, author names and the source title in
	// runes, ellipsis included; 0 or less means DefaultTitleLen.
	TitleLen int
	// ContentBytes bounds Entry.Content in bytes; 0 or less means
	// DefaultContentBytes.
	ContentBytes int
	// HTMLDepth is the deepest element nesting kept in content; 0 or less
	// means DefaultHTMLDepth.
	HTMLDepth int
	// MaxCategories and CategoryLen bound Entry.Categories (how many, and
	// runes each); 0 or less means DefaultMaxCategories and
	// DefaultCategoryLen.
	MaxCategories int
	CategoryLen   int
}

// Normalizer converts parsed feeds to entries. It holds one sanitizing
// policy, built once because that costs ~0.5 ms, and is safe for concurrent
// use.
type Normalizer struct {
	summaryLen    int
	maxItems      int
	titleLen      int
	contentBytes  int
	htmlDepth     int
	maxCategories int
	categoryLen   int
	policy        *bluemonday.Policy
	tracking      *tracking
}

// New returns a Normalizer for opts.
func New(opts Options) *Normalizer {
	return &Normalizer{
		summaryLen:    orDefault(opts.SummaryLen, DefaultSummaryLen),
		maxItems:      orDefault(opts.MaxItems, DefaultMaxItems),
		titleLen:      orDefault(opts.TitleLen, DefaultTitleLen),
		contentBytes:  orDefault(opts.ContentBytes, DefaultContentBytes),
		htmlDepth:     orDefault(opts.HTMLDepth, DefaultHTMLDepth),
		maxCategories: orDefault(opts.MaxCategories, DefaultMaxCategories),
		categoryLen:   orDefault(opts.CategoryLen, DefaultCategoryLen),
		policy:        newPolicy(),
		tracking:      newTracking(opts.TrackingParams),
	}
}

// orDefault is v when positive, else def.
func orDefault(v, def int) int {
	return cmp.Or(max(v, 0), def)
}

// Entries normalizes the items of feed, at most MaxItems of them: the
// newest (see newestItems), in feed order. src gives the source ID,
// configured Title and Location (for dates without a zone); fetchURL is
// the URL the body came from (the base for relative links); now is the
// fetch time. Items whose key repeats an earlier item's are dropped (see
// the package doc), so ids in the result are unique. A nil feed gives nil.
func (n *Normalizer) Entries(feed *gofeed.Feed, src model.Source, fetchURL string, now time.Time) []model.Entry {
	entries, _ := n.EntriesWithDates(feed, src, fetchURL, now)
	return entries
}

// EntriesWithDates is Entries, and for each entry what became of its date
// (dates[i] is entries[i]'s): a poll counts and reports the items whose
// date was missing, unreadable or too far ahead.
func (n *Normalizer) EntriesWithDates(feed *gofeed.Feed, src model.Source, fetchURL string, now time.Time) (entries []model.Entry, dates []DateNote) {
	if feed == nil {
		return nil, nil
	}
	fc := newFeedContext(feed, src, fetchURL, now, n)
	items := newestItems(feed.Items, n.maxItems, src.Location, fc.now)
	entries = make([]model.Entry, 0, len(items))
	dates = make([]DateNote, 0, len(items))
	seen := make(map[string]bool, len(items))
	for _, item := range items {
		if item == nil {
			continue
		}
		e, key, note := n.entry(item, fc)
		if seen[key] {
			continue
		}
		seen[key] = true
		entries = append(entries, e)
		dates = append(dates, note)
	}
	return entries, dates
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
	// strip is the source's title_strip.
	strip *TitleStrip
}

// newFeedContext reads what the items share. Guids are counted over the
// whole document, not only the items taken, so an item's id does not
// depend on which of its neighbours made the cut.
func newFeedContext(feed *gofeed.Feed, src model.Source, fetchURL string, now time.Time, n *Normalizer) *feedContext {
	tr := n.tracking
	fc := &feedContext{
		src:       src,
		tracking:  tr,
		fetchBase: publicBase(fetchURL),
		guids:     make(map[string]int, len(feed.Items)),
		isRSS:     feed.FeedType == "rss",
		now:       now.UTC(),
		strip:     lenientTitleStrip(src.TitleStrip),
	}
	fc.sourceTitle = Truncate(collapseSpace(cleanText(src.Title)), n.titleLen)
	if fc.sourceTitle == "" {
		fc.sourceTitle = n.title(feed.Title)
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

// entry normalizes one item and returns it with its item key and what
// became of its date.
func (n *Normalizer) entry(item *gofeed.Item, fc *feedContext) (model.Entry, string, DateNote) {
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
	published, updated, noDate, note := itemDates(item, fc.src.Location, fc.now)
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
		Title:         fc.strip.Apply(n.itemTitle(item, text, link)),
		Link:          fc.tracking.cleanLink(link),
		CanonicalLink: canonical,
		Summary:       Truncate(text, n.summaryLen),
		Content:       content,
		Author:        itemAuthor(item, n.titleLen),
		Categories:    itemCategories(item, n.maxCategories, n.categoryLen),
		Image:         itemImage(item, fc, contentBase, contentImage),
		Published:     published,
		Updated:       updated,
		FirstSeen:     fc.now,
		NoDate:        noDate,
	}, key, note
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

// itemTitle is the item's title as plain text cut to the title length; an
// untitled item is named by the start of its text, else by its link.
func (n *Normalizer) itemTitle(item *gofeed.Item, text, link string) string {
	if t := n.title(item.Title); t != "" {
		return t
	}
	if t := Truncate(text, titleFromSummaryLen); t != "" {
		return t
	}
	return Truncate(link, n.titleLen)
}

// title is s as plain text cut to the title length. It reads only as much
// of s as the cut keeps, so a title of megabytes costs little more than
// one of a thousand characters.
func (n *Normalizer) title(s string) string {
	return plainTextCut(s, n.titleLen)
}
