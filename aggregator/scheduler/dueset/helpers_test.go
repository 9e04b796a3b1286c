package dueset_test

import (
	"os"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestMain stops the Redis Cluster that forEachBackend's cluster backend
// starts once for the whole package.
func TestMain(m *testing.M) {
	code := m.Run()
	storetest.StopSharedCluster()
	os.Exit(code)
}

// forEachBackend runs fn against a fresh due set, and the store beside it
// on the same client, on every backend, a Redis Cluster included.
func forEachBackend(t *testing.T, fn func(t *testing.T, d *dueset.Set, st *store.Store)) {
	t.Helper()
	for _, b := range append(storetest.Backends(), storetest.ClusterBackend()) {
		t.Run(b.Name, func(t *testing.T) {
			client := b.Start(t)
			fn(t, dueset.New(client, "", dueset.DefaultShards), store.New(client, "", nil))
		})
	}
}
