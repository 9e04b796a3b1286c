// Package normalize turns a parsed feed (*gofeed.Feed) into Tributary's
// []model.Entry: stable ids, absolute links, UTC dates read in the source's
// time zone, sanitized HTML content, plain-text summaries and one image.
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
//  2. else its canonical link: absolute, scheme and host lower-cased,
//     fragment dropped;
//  3. else the hex SHA-256 of title + "\x00" + raw date string (published,
//     else updated); when both are empty the item's description/content is
//     hashed instead, so undated, untitled items do not all collapse into one.
//
// When two items of one feed yield the same key only the first is kept, so a
// result never holds two entries with the same id.
//
// # Dates
//
// gofeed reads zone-less dates as UTC, "CST" as US Central and fails on
// Chinese formats, so dates are parsed from the raw strings by ParseDate in
// the source's Location; gofeed's parsed value is only a fallback when
// ParseDate fails. A date more than 24 hours ahead of the fetch time is
// clamped to the fetch time; an item without any date is published at the
// fetch time with NoDate set, and the store keeps its first-seen value.
package normalize
