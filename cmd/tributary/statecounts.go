package main

import (
	"context"
	"log/slog"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// recountEvery is how often a polling instance recounts the sources per
// state from their full states. Polls keep the counts as they change
// states, so /metrics reads one small hash; the recount only corrects the
// drift of sources that left the config and of a change that raced a
// recount. It reads a few state fields of every source, 2,000 per round
// trip (see store.RecountSourceStates), so it runs rarely.
const recountEvery = 10 * time.Minute

// recountSourceStates recounts once now, then every recountEvery until ctx
// ends. merged is the current source list (the config's and the admin
// API's).
func recountSourceStates(ctx context.Context, st *store.Store, merged func() []model.Source, logger *slog.Logger) {
	t := time.NewTicker(recountEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		recountOnce(ctx, st, merged(), logger)
	}
}

func recountOnce(ctx context.Context, st *store.Store, sources []model.Source, logger *slog.Logger) {
	if err := st.RecountSourceStates(ctx, sources); err != nil && ctx.Err() == nil {
		logger.Warn("recount sources per state for /metrics", "err", err)
	}
}
