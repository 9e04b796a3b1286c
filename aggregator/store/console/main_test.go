package console_test

import (
	"log/slog"
	"os"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/store"
	"github.com/tributary-rss/tributary/aggregator/store/console"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestMain stops the Redis Cluster that forEachBackend's cluster backend
// starts once for the whole package.
func TestMain(m *testing.M) {
	code := m.Run()
	storetest.StopSharedCluster()
	os.Exit(code)
}

func discard() *slog.Logger { return slog.New(slog.DiscardHandler) }

// forEachBackend runs fn against a fresh console store on every backend,
// a Redis Cluster included.
func forEachBackend(t *testing.T, fn func(t *testing.T, st *console.Store)) {
	t.Helper()
	for _, b := range append(storetest.Backends(), storetest.ClusterBackend()) {
		t.Run(b.Name, func(t *testing.T) {
			fn(t, console.New(b.Start(t), store.Keys{Prefix: store.DefaultPrefix}, discard()))
		})
	}
}
