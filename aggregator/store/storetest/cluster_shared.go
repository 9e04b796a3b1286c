package storetest

import (
	"context"
	"fmt"
	"os"
	"sync"
	"testing"

	"github.com/redis/go-redis/v9"
)

// shared is the one Redis Cluster of a test binary (see ClusterBackend):
// creating a cluster takes seconds, too long to do for every test.
var shared struct {
	mu      sync.Mutex
	cluster *cluster
	dir     string
	err     error
}

// ClusterBackend is a Backend on a Redis Cluster of three masters, started
// once per test binary and emptied (FLUSHALL on every master) for each
// Start, so tests using it must not run in parallel. A package that uses it
// must call StopSharedCluster from TestMain after m.Run. Start skips the
// test when redis-server or redis-cli is not in PATH.
func ClusterBackend() Backend {
	return Backend{Name: "cluster", Start: func(tb testing.TB) redis.UniversalClient {
		tb.Helper()
		addrs := sharedCluster(tb)
		c := NewClusterClient(tb, addrs)
		ctx := context.Background()
		err := c.ForEachMaster(ctx, func(ctx context.Context, node *redis.Client) error {
			return node.FlushAll(ctx).Err()
		})
		if err != nil {
			tb.Fatalf("empty the shared redis cluster: %v", err)
		}
		return c
	}}
}

func sharedCluster(tb testing.TB) []string {
	tb.Helper()
	server, cli := clusterBinaries(tb)
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.cluster == nil && shared.err == nil {
		shared.cluster, shared.err = startSharedCluster(server, cli)
	}
	if shared.err != nil {
		tb.Fatalf("start the shared redis cluster: %v", shared.err)
	}
	return shared.cluster.addrs
}

func startSharedCluster(server, cli string) (*cluster, error) {
	dir, err := os.MkdirTemp("", "tributary-cluster-")
	if err != nil {
		return nil, fmt.Errorf("cluster temp dir: %w", err)
	}
	shared.dir = dir
	return startCluster(server, cli, func() (string, error) { return os.MkdirTemp(dir, "node-") }, nil)
}

// StopSharedCluster kills the shared cluster, if one was started, and
// removes its files.
func StopSharedCluster() {
	shared.mu.Lock()
	defer shared.mu.Unlock()
	if shared.cluster != nil {
		shared.cluster.close()
		shared.cluster = nil
	}
	if shared.dir != "" {
		_ = os.RemoveAll(shared.dir)
		shared.dir = ""
	}
}
