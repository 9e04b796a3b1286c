// Package curate decides section policy for one poll of one source: which
// of its entries each section admits (the source's and the section's
// filters), the keys by which a section recognizes one story told twice
// (canonical link, normalized title), how long a section keeps an entry
// (max_items, max_age) and the fingerprint of all of that, which tells a
// later poll that the config changed. Every decision is a pure function of
// the source, one snapshot of its sections and a clock passed in.
//
// It never does I/O: package store applies the decisions with its scripts.
package curate
