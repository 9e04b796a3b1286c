package store_test

import (
	"os"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// TestMain stops the Redis Cluster that forEachBackend's cluster backend
// starts once for the whole package.
func TestMain(m *testing.M) {
	code := m.Run()
	storetest.StopSharedCluster()
	os.Exit(code)
}
