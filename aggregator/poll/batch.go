package poll

import (
	"context"

	"github.com/tributary-rss/tributary/aggregator/curate"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// BatchStore is a Store that reads what a poll starts from for many
// sources per round trip. A command that polls thousands of sources at
// once (tributary fetch) would otherwise wait on two reads per source
// before its first request; a Store without it is read one source at a
// time.
type BatchStore interface {
	SourceStates(ctx context.Context, ids []string) ([]model.SourceState, error)
	// RulesFingerprints returns the curate.Fingerprint each source's
	// entries were last indexed with, "" when none.
	RulesFingerprints(ctx context.Context, ids []string) ([]string, error)
}

// States is State for many sources, in the order of ids.
func (p *Poller) States(ctx context.Context, ids []string) ([]model.SourceState, error) {
	if b, ok := p.store.(BatchStore); ok {
		return b.SourceStates(ctx, ids)
	}
	out := make([]model.SourceState, len(ids))
	for i, id := range ids {
		st, err := p.store.SourceState(ctx, id)
		if err != nil {
			return nil, err
		}
		out[i] = st
	}
	return out, nil
}

// Prime learns, for each of srcs, whether its stored entries were indexed
// under the rules its sections give it now, as a first poll would (see
// Refresh). A poller learns it one source at a time otherwise, with one
// read on the first poll of each that brings nothing new; Prime reads all
// of them in a few round trips. A source whose rules differ, or whose
// rules cannot be built, is left to Refresh.
func (p *Poller) Prime(ctx context.Context, srcs []model.Source) error {
	b, ok := p.store.(BatchStore)
	if !ok || len(srcs) == 0 {
		return nil
	}
	ids := make([]string, len(srcs))
	for i, src := range srcs {
		ids[i] = src.ID
	}
	stored, err := b.RulesFingerprints(ctx, ids)
	if err != nil {
		return err
	}
	for i, src := range srcs {
		secs, _ := p.snapshot(src)
		if fp := curate.Fingerprint(src, secs); fp == stored[i] {
			p.applied.Store(src.ID, fp)
		}
	}
	return nil
}
