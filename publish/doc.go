// Package publish owns Tributary's HTTP face: it republishes each section as
// RSS 2.0, Atom 1.0, JSON Feed 1.1 and an HTML headlines page (with ?limit,
// ?source and ?before paging), serves an HTML index, a JSON API for sites,
// an embeddable widget and iframe fragment, OPML subscription lists, health
// and readiness, and notifies a WebSub hub of changes. A render cache keeps
// each representation rendered once per section version and serves it
// without a store round trip until Invalidate or the periodic Recheck.
//
// It never writes to the store, never fetches or parses source feeds and
// never imports aggregator/store, fetch or normalize: it reads entries
// through the small EntryReader interface declared here, which the caller
// satisfies (the store does) and wires to Invalidate on change events.
package publish
