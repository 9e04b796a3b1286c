// Package publish owns Tributary's HTTP face: it republishes each section as
// RSS 2.0, Atom 1.0, JSON Feed 1.1 and an HTML headlines page, serves an HTML
// index, health and readiness, and keeps a render cache keyed by the
// section's version so a feed is rendered once and served many times.
//
// It never writes to the store, never fetches or parses source feeds and
// never imports aggregator/store, fetch or normalize: it reads entries
// through the small EntryReader interface declared here, which the caller
// satisfies (the store does) and wires to Invalidate on change events.
package publish
