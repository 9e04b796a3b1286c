// Package poll reads one source once: it fetches (aggregator/fetch),
// parses (aggregator/parse: a feed, a list page read with scrape: rules or
// by detecting its list, or the feed an HTML page advertises, followed in
// the same poll), normalizes (aggregator/normalize), applies the section
// rules (aggregator/curate) and ingests (aggregator/store), recording the
// outcome in the source's state; the articles of new entries of a source
// with content.fetch are fetched afterwards by FetchArticles.
//
// It never decides when a source is polled (package scheduler does, and
// hands it the plan that sets the next due time) and never serves HTTP
// (package publish does). Read is the one way a source is read, shared by
// polls and by previews.
package poll
