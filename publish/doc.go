// Package publish owns Tributary's HTTP face: it republishes each section as
// RSS 2.0, Atom 1.0, JSON Feed 1.1 and an HTML headlines page (with ?limit,
// ?source and ?before paging), serves an HTML index, a JSON API for sites,
// an embeddable widget and iframe fragment, OPML subscription lists, health
// and readiness, and notifies a WebSub hub of changes. A render cache keeps
// each representation rendered once per section version and serves it
// without a store round trip until Invalidate or the periodic Recheck.
//
// It never writes to the store, never fetches or parses source feeds, and
// of this module it imports only aggregator/model, aggregator/urlsecret
// and its text catalog, publish/i18n (TestPublish_deps holds it to
// that): it reads entries through the small EntryReader interface
// declared here, which the caller satisfies (the store does) and wires
// to Invalidate on change events; the admin API, /status and /metrics reach
// the registry, the store and package publish/metrics through interfaces
// and handlers declared here too.
//
// Public outputs never show a source URL's credentials: user:password@
// and secret query parameters are removed when entries are read for a
// render and when OPML is built (see redact.go). /status and
// /api/v1/sources, for operators, show URLs whole.
package publish
