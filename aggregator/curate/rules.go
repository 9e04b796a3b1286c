package curate

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"

	"github.com/tributary-rss/tributary/aggregator/filter"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// Rules is the policy one poll of a source applies: the sections that list
// the source, taken once, so a reload in the middle of the poll cannot make
// its steps disagree, and their compiled filters. A nil *Rules admits
// everything into no section.
type Rules struct {
	// Source is the source polled; Sections the sections listing it, in
	// the config's order.
	Source   model.Source
	Sections []model.Section
	// Fingerprint identifies everything that decides which entries the
	// sections hold (see Fingerprint).
	Fingerprint string
	source      *filter.Filter
	bySection   map[string]*filter.Filter
}

// New compiles the rules of src in sections (the sections listing it, one
// snapshot). Filters come from cache, so a pattern list is compiled once
// however many polls use it; a nil cache compiles afresh.
func New(src model.Source, sections []model.Section, cache *filter.Cache) (*Rules, error) {
	if cache == nil {
		cache = &filter.Cache{}
	}
	r := &Rules{Source: src, Sections: sections, Fingerprint: Fingerprint(src, sections),
		bySection: make(map[string]*filter.Filter, len(sections))}
	var err error
	if r.source, err = cache.Filter(src.Include, src.Exclude); err != nil {
		return nil, fmt.Errorf("source %s filter: %w", src.ID, err)
	}
	for _, sec := range sections {
		f, err := cache.Filter(sec.Include, sec.Exclude)
		if err != nil {
			return nil, fmt.Errorf("section %s filter: %w", sec.ID, err)
		}
		r.bySection[sec.ID] = f
	}
	return r, nil
}

// Unfiltered is rules for src in sections that admit every entry, whatever
// filters the source and sections name (tests and tools that index
// without policy).
func Unfiltered(src model.Source, sections []model.Section) *Rules {
	return &Rules{Source: src, Sections: sections, Fingerprint: Fingerprint(src, sections)}
}

// Admit reports whether section sec holds entry e: it passes the source's
// filter and the section's (a nil filter passes everything).
func (r *Rules) Admit(sec model.Section, e model.Entry) bool {
	if r == nil {
		return true
	}
	return r.source.Match(e) && r.bySection[sec.ID].Match(e)
}

// AnyMaxAge reports whether a section ages entries out, which a poll that
// brought nothing new must still apply.
func (r *Rules) AnyMaxAge() bool {
	for _, sec := range r.Sections {
		if sec.MaxAge > 0 {
			return true
		}
	}
	return false
}

// Fingerprint identifies everything that decides which of a source's
// entries its sections hold: the source's filters and, per section, its
// filters, max_items, max_age, dedup_titles and review. Stored per source, it tells
// a poll whose feed did not change (304, same body) that the config did.
func Fingerprint(src model.Source, sections []model.Section) string {
	h := sha256.New()
	fmt.Fprintf(h, "%q %q\n", src.Include, src.Exclude)
	for _, sec := range sections {
		fmt.Fprintf(h, "%q %q %q %d %d %t\n", sec.ID, sec.Include, sec.Exclude, sec.MaxItems, sec.MaxAge, sec.DedupTitles)
		if sec.Review {
			// Only with review, so turning it on or off, or trusting
			// a source, re-evaluates the source's entries at its next
			// poll, and other sections keep their fingerprints.
			fmt.Fprintf(h, "review %q\n", sec.TrustedSourceIDs)
		}
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}
