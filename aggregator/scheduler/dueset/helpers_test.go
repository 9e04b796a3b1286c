package dueset_test

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"
	"time"

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

// stepAll has each of sets step at once, 7 claims a step with lease,
// until none claims anything more, and returns per source the tokens of
// the claims that took it.
func stepAll(t *testing.T, sets []*dueset.Set, now time.Time, lease time.Duration) map[string][]string {
	t.Helper()
	var mu sync.Mutex
	owners := map[string][]string{}
	var wg sync.WaitGroup
	for w, d := range sets {
		wg.Go(func() {
			for i := 0; ; i++ {
				tok := fmt.Sprintf("w%d-%d", w, i)
				b, err := d.DueStep(context.Background(), nil, now, 7, lease, tok)
				if err != nil {
					t.Error(err)
					return
				}
				if len(b.Claimed) == 0 {
					return
				}
				mu.Lock()
				for _, c := range b.Claimed {
					owners[c.SourceID] = append(owners[c.SourceID], tok)
				}
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	return owners
}
