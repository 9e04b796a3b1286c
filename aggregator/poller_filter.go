package aggregator

import (
	"context"
	"fmt"
	"time"

	"github.com/tributary-rss/tributary/aggregator/filter"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// admit returns the filter a poll of src applies: an entry enters a section
// only when it passes the source's filter and the section's. Patterns are
// compiled once per distinct list (the config validated them already).
func (p *Poller) admit(src model.Source) (store.Admit, error) {
	srcFilter, err := p.filters.Filter(src.Include, src.Exclude)
	if err != nil {
		return nil, fmt.Errorf("source %s filter: %w", src.ID, err)
	}
	bySection := map[string]*filter.Filter{}
	for _, sec := range p.sectionsOf(src) {
		f, err := p.filters.Filter(sec.Include, sec.Exclude)
		if err != nil {
			return nil, fmt.Errorf("section %s filter: %w", sec.ID, err)
		}
		bySection[sec.ID] = f
	}
	return func(sec model.Section, e model.Entry) bool {
		return srcFilter.Match(e) && bySection[sec.ID].Match(e)
	}, nil
}

// ingest stores a poll's entries through the source's and sections'
// filters.
func (p *Poller) ingest(ctx context.Context, src model.Source, entries []model.Entry, now time.Time) (store.IngestResult, error) {
	admit, err := p.admit(src)
	if err != nil {
		return store.IngestResult{}, err
	}
	secs := p.sectionsOf(src)
	ir, err := p.store.IngestFiltered(ctx, src, secs, entries, now, admit)
	if err != nil {
		return ir, fmt.Errorf("store %s: %w", src.URL, err)
	}
	p.applied.Store(src.ID, store.RulesFingerprint(src, secs))
	return ir, nil
}

// refresh is the store side of a poll that brought nothing to ingest (304
// or the same body): the sections re-evaluate the source's entries when
// their rules changed, and age out entries past max_age. When this poller
// already applied the current rules and no section has a max_age there is
// nothing to do, and the common 304 poll costs no Redis round trip here.
func (p *Poller) refresh(ctx context.Context, src model.Source) error {
	secs := p.sectionsOf(src)
	fp := store.RulesFingerprint(src, secs)
	if last, ok := p.applied.Load(src.ID); ok && last == fp && !anyMaxAge(secs) {
		return nil
	}
	admit, err := p.admit(src)
	if err != nil {
		return err
	}
	if _, err := p.store.Refresh(ctx, src, secs, p.Now(), admit); err != nil {
		return fmt.Errorf("store %s: %w", src.URL, err)
	}
	p.applied.Store(src.ID, fp)
	return nil
}

// forget drops what the poller remembers of a source the config no longer
// has, so the map does not grow with every source ever configured.
func (p *Poller) forget(sourceID string) {
	p.applied.Delete(sourceID)
}

func anyMaxAge(secs []model.Section) bool {
	for _, sec := range secs {
		if sec.MaxAge > 0 {
			return true
		}
	}
	return false
}
