package poll

import (
	"context"
	"log/slog"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// FreshnessRecorder is a PollRecorder that also decides, with the poll's
// state write, whether the source crossed its stale_after (see
// store.SavePollFreshness): a source goes quiet with the passing of time,
// so every poll (a 304 too) asks, and the first poll after the threshold
// sees the crossing, once across instances.
type FreshnessRecorder interface {
	SavePollFreshness(ctx context.Context, sourceID string, prev, st model.SourceState, rec model.PollRecord,
		chk model.FreshnessCheck) (model.FreshnessCrossing, error)
}

var _ FreshnessRecorder = (*store.Store)(nil)

// saveFreshness writes the poll's state and record through fr and sets
// res.Freshness when the source crossed its threshold; a crossing is
// logged once, as the state changes are.
func (p *Poller) saveFreshness(ctx context.Context, fr FreshnessRecorder, log *slog.Logger, src model.Source, prev, st model.SourceState,
	res *Result, start time.Time) error {
	secs, _ := p.snapshot(src)
	chk := model.FreshnessCheck{Now: start, StaleAfter: src.StaleAfter, Succeeded: res.Err == nil, Zone: model.ActivityZone(secs, src)}
	c, err := fr.SavePollFreshness(ctx, src.ID, prev, st, pollRecord(st, res, start, p.Now()), chk)
	if err != nil {
		return err
	}
	if c.To == "" {
		return nil
	}
	res.Freshness = &c
	switch c.To {
	case model.FreshnessStale:
		log.Info("source stale: nothing published for longer than stale_after", "last_entry", c.LastEntry, "stale_after", c.StaleAfter)
	case model.FreshnessFresh:
		log.Info("source publishing again", "last_entry", c.LastEntry)
	}
	return nil
}
