package poll

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// newDueStore is a store on a fresh embedded Redis, for a poller's
// entries, state and article queue.
func newDueStore(t *testing.T) *store.Store {
	t.Helper()
	return store.New(storetest.StartEmbedded(t), "", nil)
}
