package poll

import (
	"context"
	"fmt"
	"time"

	"github.com/tributary-rss/tributary/aggregator/curate"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// ingest stores a poll's entries under the rules of one snapshot of the
// source's sections.
func (p *Poller) ingest(ctx context.Context, src model.Source, entries []model.Entry, now time.Time) (store.IngestResult, error) {
	rules, err := p.rules(src)
	if err != nil {
		return store.IngestResult{}, err
	}
	ir, err := p.store.IngestRules(ctx, policy(rules), entries, now)
	if err != nil {
		return ir, fmt.Errorf("store %s: %w", src.URL, err)
	}
	p.applied.Store(src.ID, rules.Fingerprint)
	return ir, nil
}

// policy is what the store applies of rules: it decides nothing itself.
func policy(r *curate.Rules) store.Policy {
	return store.Policy{Source: r.Source, Sections: r.Sections, Fingerprint: r.Fingerprint, Admit: r.Admit}
}

// Refresh is the store side of a poll that brought nothing to ingest (304
// or the same body): the sections re-evaluate the source's entries when
// their rules changed, and age out entries past max_age. When this poller
// already applied the current rules and no section has a max_age there is
// nothing to do, and the common 304 poll costs no Redis round trip here.
func (p *Poller) Refresh(ctx context.Context, src model.Source) error {
	rules, err := p.rules(src)
	if err != nil {
		return err
	}
	if last, ok := p.applied.Load(src.ID); ok && last == rules.Fingerprint && !rules.AnyMaxAge() {
		return nil
	}
	if _, err := p.store.Refresh(ctx, policy(rules), p.Now()); err != nil {
		return fmt.Errorf("store %s: %w", src.URL, err)
	}
	p.applied.Store(src.ID, rules.Fingerprint)
	return nil
}

// Fingerprint is the rules fingerprint of src under the current sections.
func (p *Poller) Fingerprint(src model.Source) string {
	secs, _ := p.snapshot(src)
	return curate.Fingerprint(src, secs)
}

// Forget drops what the poller remembers of a source the config no longer
// has, so the map does not grow with every source ever configured.
func (p *Poller) Forget(sourceID string) {
	p.applied.Delete(sourceID)
}

// State is the stored state of a source, as the next poll starts from it.
func (p *Poller) State(ctx context.Context, sourceID string) (model.SourceState, error) {
	return p.store.SourceState(ctx, sourceID)
}
