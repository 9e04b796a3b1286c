// Package curate decides section policy for one poll of one source: which
// of its entries each section admits (the source's and the section's
// filters) and the fingerprint of everything that decides what the
// sections hold (filters, max_items, max_age, dedup_titles, review),
// which tells a later poll that the config changed. Every decision is a
// pure function of the source and one snapshot of its sections.
//
// It never does I/O: package poll hands its decisions to package store as
// a store.Policy, and the store applies them with its scripts. How many
// entries a section keeps and for how long are the section's own
// (model.Section.Keep, MinScore); the keys that recognize one story told
// twice are normalize's (normalize.DedupKeys).
package curate
