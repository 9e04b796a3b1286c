package publish

import (
	"context"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// EntryReader is what the server needs from the store.
type EntryReader interface {
	// SectionPage returns one page of a section's merged entries, newest
	// first, and the cursor of the next page.
	SectionPage(ctx context.Context, sectionID string, q model.PageQuery) (model.Page, error)
	// SectionMeta returns the section's version and last change time.
	SectionMeta(ctx context.Context, sectionID string) (model.SectionMeta, error)
	// SectionMetas returns the metas of several sections in one round trip,
	// for the periodic re-check of cached renders.
	SectionMetas(ctx context.Context, sectionIDs []string) (map[string]model.SectionMeta, error)
}
