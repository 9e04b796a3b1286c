// Package model holds Tributary's plain domain types: the normalized Entry,
// the Source a poll reads and the Section that merges sources.
//
// It is a leaf package: every stage (config, fetch, normalize, store, the
// poll loop in package aggregator, publish) imports it and it imports none of
// them, so the stages can share types without import cycles.
package model

import (
	"crypto/sha256"
	"encoding/hex"
	"time"
)

// Entry is one normalized feed item as it is stored and republished.
// Times are UTC. Text fields are valid UTF-8 with no characters illegal in XML.
type Entry struct {
	// ID is stable across polls and restarts: see EntryID.
	ID string `json:"id"`
	// SourceID is the ID of the Source the entry came from.
	SourceID string `json:"source_id"`
	// SourceTitle and SourceLink name the origin (feed title, site link);
	// SourceURL is the feed URL it was fetched from.
	SourceTitle string `json:"source_title,omitempty"`
	SourceLink  string `json:"source_link,omitempty"`
	SourceURL   string `json:"source_url,omitempty"`
	// GUID is the item's own guid/id as the source gave it, if any.
	GUID  string `json:"guid,omitempty"`
	Title string `json:"title"`
	// Link is the absolute URL of the article, tracking parameters removed.
	Link string `json:"link,omitempty"`
	// CanonicalLink is Link in the form used to recognize the same story
	// within a source and across the sources of a section (see package
	// normalize); empty when the entry has no link of its own.
	CanonicalLink string `json:"canonical_link,omitempty"`
	// Summary is plain text (no markup), cut to a bounded number of runes.
	Summary string `json:"summary,omitempty"`
	// Content is sanitized HTML, safe to embed in a page.
	Content    string    `json:"content,omitempty"`
	Author     string    `json:"author,omitempty"`
	Categories []string  `json:"categories,omitempty"`
	Image      string    `json:"image,omitempty"`
	Published  time.Time `json:"published"`
	Updated    time.Time `json:"updated"`
	// FirstSeen is when Tributary first stored the entry. An entry whose
	// source gives no date is published at FirstSeen, set once.
	FirstSeen time.Time `json:"first_seen"`
	// NoDate is true when the source gave no usable date, so Published was
	// filled from FirstSeen and must be kept from the stored copy on re-polls.
	NoDate bool `json:"no_date,omitempty"`
	// ArticleLink is the link whose article (fetched for a source with
	// content.fetch) is the entry's Content; empty when Content is what
	// the source itself gave. Re-polls keep that content while Link stays
	// the same.
	ArticleLink string `json:"article_link,omitempty"`
	// Article is what that article says of itself (its headline,
	// publication time and author), kept while ArticleLink stays the
	// entry's link so a re-poll completes the list's copy again; nil
	// without one.
	Article *ArticleMeta `json:"article,omitempty"`
}

// Source is one feed URL to poll. A URL listed by several sections is one
// Source with several SectionIDs, fetched once per due time.
type Source struct {
	// ID is stable for a URL: see SourceID.
	ID  string
	URL string
	// Title overrides the feed's own title when set in the config.
	Title string
	// Schedule is a robfig/cron spec or "@every <duration>".
	Schedule string
	// Location reads dates that carry no zone. Never nil after config load.
	Location *time.Location
	// SectionIDs lists the sections this source feeds, in config order.
	SectionIDs []string
	// Headers are extra request headers sent to this source only.
	Headers map[string]string
	// Include and Exclude filter this source's entries before they reach
	// any section: "/re/" is an RE2 expression, anything else a
	// case-insensitive keyword; matched against title, summary and
	// categories. Empty Include admits everything.
	Include []string
	Exclude []string
	// Origin says where the source was defined: OriginConfig (the file,
	// also when empty) or OriginAPI (added through the admin API and kept
	// in the store).
	Origin string
	// Restricted fetches connect only to public addresses (see
	// fetch.Request.Restricted): sources added through the admin API are,
	// unless admin.allow_private is set.
	Restricted bool
	// Scrape, when set, reads the URL as a list page instead of a feed;
	// Content, when set, fetches each new entry's article (see scrape.go).
	Scrape  *Scrape
	Content *Content
	// TitleStrip are labels removed from every entry title of the
	// source ("[置顶]", "【学校要闻】"): a literal is cut where it begins
	// or ends a title, "/re/" is an RE2 expression whose matches are cut
	// (see normalize.TitleStrip). A title left empty keeps its labels.
	TitleStrip []string
	// ConfigFile and ConfigLine locate a config-file source's first
	// listing (the file it was written in, an included one perhaps, and
	// the line of its "- url:" item), so a refusal to edit it through the
	// admin API can say where to edit it instead. Empty for API sources.
	ConfigFile string
	ConfigLine int
	// StaleAfter is how long the source may publish nothing before it is
	// stale (see Freshness): its own stale_after, else its sections',
	// else freshness.stale_after (see StaleAfterFor). Zero means
	// DefaultStaleAfter.
	StaleAfter time.Duration
}

// Source origins (Source.Origin).
const (
	OriginConfig = "config"
	OriginAPI    = "api"
)

// Section is a merged, republished feed.
type Section struct {
	ID          string
	Title       string
	Description string
	// Language is a BCP 47 tag for xml:lang/language (default zh-CN).
	Language string
	// MaxItems bounds how many entries the section holds (newest kept).
	MaxItems int
	// SourceIDs lists the section's sources in config order.
	SourceIDs []string
	// MaxAge drops entries published longer ago than this (0: no limit).
	MaxAge time.Duration
	// DedupTitles also merges entries of different sources whose
	// normalized titles are identical within 48 hours (links always merge).
	DedupTitles bool
	// PinsInFeeds puts pinned entries first in the section's feeds too
	// (RSS, Atom, JSON Feed), which otherwise keep date order.
	PinsInFeeds bool
	// Review holds every entry new to the section out of its outputs
	// until an editor approves it (sections[].review); entries of the
	// sources in TrustedSourceIDs (a listing's trusted: true) skip it.
	Review           bool
	TrustedSourceIDs []string
	// Include and Exclude filter what the section holds (see Source).
	Include []string
	Exclude []string
	// Location is the zone in which every page, embed and the widget show
	// the section's dates (sections[].timezone, else defaults.timezone),
	// so a visitor's own zone never moves an entry to another day. Nil
	// means the server's default zone.
	Location *time.Location
	// StaleAfter is the section's stale_after, else freshness.stale_after
	// (0: DefaultStaleAfter); a source's own overrides it.
	StaleAfter time.Duration
	// LinkTo is where the section's outputs link each entry:
	// LinkToOriginal (also when empty) or LinkToPortal (see linkto.go).
	LinkTo string
}

// SourceID derives a source's stable id from its feed URL: the first 16 hex
// digits of its SHA-256. The config may set an explicit id instead.
func SourceID(feedURL string) string {
	return shortHash(feedURL)
}

// EntryID derives an entry's stable id from its source and the item key
// (guid, else canonical link, else title and date; chosen by normalize).
func EntryID(sourceID, itemKey string) string {
	return shortHash(sourceID + "\x00" + itemKey)
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:8])
}

// SectionMeta is what a reader needs to know whether its rendering of a
// section is current: Version goes up by one on every change of the section.
type SectionMeta struct {
	Version   int64
	UpdatedAt time.Time
}
