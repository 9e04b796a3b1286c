package publish

import (
	"context"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// EntryReader is what the server needs from the store.
type EntryReader interface {
	// SectionEntries returns up to limit merged entries of a section,
	// newest first.
	SectionEntries(ctx context.Context, sectionID string, limit int) ([]model.Entry, error)
	// SectionMeta returns the section's version and last change time.
	SectionMeta(ctx context.Context, sectionID string) (model.SectionMeta, error)
}
