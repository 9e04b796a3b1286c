package storetest

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
)

// Cluster is a Redis Cluster of three masters started outside a test, by
// a harness that measures it (cmd/tributary-loadgen -mode sim).
type Cluster struct {
	// Addrs are the masters' addresses.
	Addrs []string
	// PIDs are the masters' process ids, in the order of Addrs.
	PIDs []int
	c    *cluster
	dir  string
}

// LaunchCluster starts a Cluster like StartCluster does, on free loopback
// ports without persistence; Stop kills it and removes its files.
func LaunchCluster() (*Cluster, error) {
	server, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("redis-server not in PATH: %w", err)
	}
	cli, err := exec.LookPath("redis-cli")
	if err != nil {
		return nil, fmt.Errorf("redis-cli not in PATH: %w", err)
	}
	dir, err := os.MkdirTemp("", "tributary-cluster-")
	if err != nil {
		return nil, fmt.Errorf("cluster temp dir: %w", err)
	}
	c, err := startCluster(server, cli, func() (string, error) { return os.MkdirTemp(dir, "node-") }, nil)
	if err != nil {
		return nil, errors.Join(err, os.RemoveAll(dir))
	}
	out := &Cluster{Addrs: c.addrs, c: c, dir: dir}
	for _, n := range c.nodes {
		out.PIDs = append(out.PIDs, n.cmd.Process.Pid)
	}
	return out, nil
}

// Stop kills every node and removes the cluster's files.
func (c *Cluster) Stop() {
	c.c.close()
	_ = os.RemoveAll(c.dir)
}
