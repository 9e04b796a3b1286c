package metrics

import (
	"testing"

	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// TestMetrics_deps keeps the metrics below the poll loop: the wiring
// hands it plain values (Poll, StoreStats), so it imports only the
// domain types of this module.
func TestMetrics_deps(t *testing.T) {
	testkit.OnlyDeps(t, "aggregator/model")
}
