package publish

import "github.com/tributary-rss/tributary/aggregator/store"

// The store is the EntryReader the daemon wires in.
var _ EntryReader = (*store.Store)(nil)
