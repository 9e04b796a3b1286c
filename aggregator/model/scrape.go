package model

import "slices"

// Scrape says how to read a list page, a site section without a feed: CSS
// selectors (as package goquery understands them) that pick the entries and,
// inside each, its parts. Empty selectors take the defaults documented on
// each field. The JSON names are the config keys: the admin API takes them
// and the store keeps API sources in them.
type Scrape struct {
	// Items selects one element per entry. Required.
	Items string `json:"items"`
	// Title selects the element holding the headline inside an item; ""
	// means "a". Its title attribute wins over text the CMS cut with an
	// ellipsis.
	Title string `json:"title,omitempty"`
	// Link selects the element whose href is the entry's link; "" means
	// the first a[href] of the item that is a real link.
	Link string `json:"link,omitempty"`
	// Date selects the element holding the date (its text, or DateAttr);
	// "" means no date, unless DateAttr names an attribute of the item.
	Date     string `json:"date,omitempty"`
	DateAttr string `json:"date_attr,omitempty"`
	// Summary and Image select an optional summary and image.
	Summary string `json:"summary,omitempty"`
	Image   string `json:"image,omitempty"`
	// Skip leaves out the items that match it or contain a match (pinned
	// "置顶" items, separators, advertisements).
	Skip string `json:"skip,omitempty"`
}

// Equal reports whether s and o describe the same rules; nil (no scraping)
// equals only nil.
func (s *Scrape) Equal(o *Scrape) bool {
	if s == nil || o == nil {
		return s == o
	}
	return *s == *o
}

// DefaultMaxPerPoll is Content.MaxPerPoll when the config leaves it out.
const DefaultMaxPerPoll = 20

// Content says whether and how the article behind each new entry's link is
// fetched and kept as the entry's content.
type Content struct {
	// Fetch turns article fetching on.
	Fetch bool `json:"fetch"`
	// Selector picks the article body; "" extracts it with readability.
	Selector string `json:"selector,omitempty"`
	// Remove are selectors of elements dropped from the article first
	// (share bars, print buttons).
	Remove []string `json:"remove,omitempty"`
	// MaxPerPoll bounds the articles fetched in one poll, so a first poll
	// of a long list does not hammer a small school server.
	MaxPerPoll int `json:"max_per_poll,omitempty"`
}

// Equal reports whether c and o describe the same rules; nil (no article
// fetching) equals only nil.
func (c *Content) Equal(o *Content) bool {
	if c == nil || o == nil {
		return c == o
	}
	return c.Fetch == o.Fetch && c.Selector == o.Selector && c.MaxPerPoll == o.MaxPerPoll &&
		slices.Equal(c.Remove, o.Remove)
}
