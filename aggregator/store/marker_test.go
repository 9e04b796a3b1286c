package store_test

import (
	"context"
	"sync/atomic"
	"testing"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/store"
)

// TestStore_EnsureMarker: the marker is written once, and written again
// (created) after the data is lost, on Redis Cluster also when only one
// master lost its data.
func TestStore_EnsureMarker(t *testing.T) {
	forEachBackend(t, func(t *testing.T, st *store.Store, _ *recorder) {
		ctx := context.Background()
		ensure := func(want bool) {
			t.Helper()
			created, err := st.EnsureMarker(ctx)
			if err != nil || created != want {
				t.Fatalf("EnsureMarker = %v, %v; want %v", created, err, want)
			}
		}
		ensure(true)
		ensure(false)
		// Lose the data: one master of a cluster, or the one server.
		if cc, ok := st.Client().(*redis.ClusterClient); ok {
			// A master other than the one holding the plain marker key, so
			// one marker for the whole cluster would miss the loss.
			holder, err := cc.MasterForKey(ctx, st.Keys().Marker())
			if err != nil {
				t.Fatal(err)
			}
			var flushed atomic.Bool
			err = cc.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
				if node.Options().Addr != holder.Options().Addr && flushed.CompareAndSwap(false, true) {
					return node.FlushAll(ctx).Err()
				}
				return nil
			})
			if err != nil || !flushed.Load() {
				t.Fatalf("flush one master: %v (flushed %v)", err, flushed.Load())
			}
		} else if err := st.Client().FlushAll(ctx).Err(); err != nil {
			t.Fatal(err)
		}
		ensure(true)
		ensure(false)
	})
}
