package store

import (
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
)

// dedupKeys holds, per item, the link and title keys the section script
// compares ("" for none); package curate decides them.
type dedupKeys struct {
	link, title []string
}

// slice is the keys of items[from:to]. The keys are computed over the
// whole batch first, so a key two items share stays out when they land
// in different parts of it.
func (k dedupKeys) slice(from, to int) dedupKeys {
	return dedupKeys{link: k.link[from:to], title: k.title[from:to]}
}

func newDedupKeys(items []ingestItem) dedupKeys {
	entries := make([]model.Entry, len(items))
	for i, it := range items {
		entries[i] = it.entry
	}
	link, title := normalize.DedupKeys(entries)
	return dedupKeys{link: link, title: title}
}
