// Package normalize turns a parsed feed (*gofeed.Feed) into Tributary's
// []model.Entry: stable ids, absolute links, UTC dates read in the source's
// time zone, sanitized HTML content, plain-text summaries and one image;
// and the keys by which a section recognizes one story told twice, by its
// canonical link or its normalized title (DedupKeys).
//
// It owns every decision about what an entry looks like once parsed. It never
// does HTTP, never touches Redis and keeps no state between calls: the caller
// fetches and parses, the store decides what is new.
//
// # Entry ids
//
// Each item gets a key, and Entry.ID is model.EntryID(source id, key):
//
//  1. the item's GUID, if it is non-empty and no other item of the same feed
//     carries it (some CMSs give every item the same guid, or the site URL);
//  2. else its canonical link (see Links below);
//  3. else the hex SHA-256 of title + "\x00" + raw date string (published,
//     else updated); when both are empty the item's description/content is
//     hashed instead, so undated, untitled items do not all collapse into one.
//
// When two items of one feed yield the same key only the first is kept, so a
// result never holds two entries with the same id.
//
// Guids that change when the title is edited (common in CMSs that derive
// them from the title) are caught by the store, not here: an incoming entry
// whose canonical link matches a stored entry of the same source takes that
// entry's id and updates it in place, unless another item of the same feed
// shares the link or still carries that id.
//
// # Links
//
// Item links are made absolute against xml:base (resolved by gofeed), the
// feed's site link and the fetch URL. Entry.Link is that URL with tracking
// parameters removed (DefaultTrackingParams: utm_*, fbclid, gclid, spm,
// from, share_*, WeChat and Bilibili share keys…, plus
// Options.TrackingParams); its path, meaningful query and fragment are the
// source's own. Entry.CanonicalLink, the form used to recognize a story, is
// also lower-cased in scheme and host, drops a default port, the fragment
// and userinfo, sorts the remaining query parameters and writes an empty
// path as "/"; it is empty for an item without a link of its own (none, or
// the feed's home page).
//
// # Dedup
//
// Within a source an entry is one id (above). Across the sources of a
// section the store holds a story once: entries with the same canonical link
// (and, with the section's dedup_titles, the same normalized title published
// within 48 hours) are one story, attributed to the source that published it
// first (earliest Published, ties to the smaller id) whichever is polled
// first; when that copy leaves the section (refused by a filter, aged out)
// the earliest other copy takes its place. The other copies stay stored.
//
// # Dates
//
// gofeed reads zone-less dates as UTC, "CST" as US Central and fails on
// Chinese formats, so dates are parsed from the raw strings by ParseDateAt in
// the source's Location; gofeed's parsed value is only a fallback when
// ParseDateAt fails. List pages hand over their date text as printed, and
// the same ParseDateAt reads past its labels, brackets and view counts.
// An item without any date, with one neither parser reads, or published
// more than 24 hours after the fetch time is published at the fetch time
// with NoDate set, and the store keeps that first-seen value on later
// polls; an updated date that far ahead is replaced by the published one.
// EntriesWithDates says which items these were (DateNote), with the raw
// text, so that a poll can count and report them.
//
// # Limits
//
// Whatever a feed holds, an entry stays small enough to store, render and
// read (Options; 0 takes the Default… constant):
//
//   - a feed gives at most MaxItems entries (1000), its newest by the dates
//     above; undated items count as published at the fetch, and items of
//     equal date keep document order, so an undated feed gives its first;
//   - titles, author names and the source title are plain text cut to
//     TitleLen runes (1000), "…" included; summaries to SummaryLen;
//   - content is sanitized, then elements nested deeper than HTMLDepth
//     (100) lose their tags and keep their text, and HTML longer than
//     ContentBytes (256 KiB) is cut between tokens, never inside a tag,
//     a character or an entity, marked with "…" and closed, so it stays
//     well-formed;
//   - at most MaxCategories categories (20) of CategoryLen runes (100) are
//     kept, as plain text in which nothing parses as a tag, a comment or
//     an entity: "<script>alert(1)</script>" is dropped, "<b>News</b>" is
//     "News";
//   - links, images and the source link have every character a URL may
//     not hold percent-encoded (quotes, spaces, "<>", controls…).
package normalize
