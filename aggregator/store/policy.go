package store

import "github.com/tributary-rss/tributary/aggregator/model"

// Policy is what one ingest applies of the section policy the curate step
// decided for a source: the sections listing it (one snapshot), the
// fingerprint of everything that decides which entries they hold, and
// which entries each admits. The store applies it and never decides it:
// it knows no filters. Admit is asked rather than answered up front
// because, when the fingerprint changed, the store asks it about the
// entries it already holds too, which only it reads.
type Policy struct {
	Source   model.Source
	Sections []model.Section
	// Fingerprint is stored with the source's entries; an ingest or a
	// Refresh under another one re-evaluates all of them.
	Fingerprint string
	// Admit reports whether sec holds e; nil admits every entry.
	Admit func(sec model.Section, e model.Entry) bool
}

// admits is p.Admit, admitting everything when it is nil.
func (p Policy) admits(sec model.Section, e model.Entry) bool {
	return p.Admit == nil || p.Admit(sec, e)
}
