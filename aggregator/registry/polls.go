package registry

import (
	"context"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// PollHistory returns up to limit of a source's recent polls, newest
// first (limit ≤ 0: all the store keeps, store.PollHistoryLen). A source
// this instance does not know answers ErrNotFound, even if an old history
// of that id is still stored.
func (r *Registry) PollHistory(ctx context.Context, id string, limit int) ([]model.PollRecord, error) {
	if _, ok := r.find(id); !ok {
		return nil, notFound(model.KeySourceNotFound, "no source %q", id)
	}
	return r.store.PollHistory(ctx, id, limit)
}
