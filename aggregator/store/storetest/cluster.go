package storetest

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

const (
	// clusterMasters is how many masters StartCluster creates: the fewest
	// redis-cli --cluster create accepts.
	clusterMasters = 3
	// clusterBusOffset is how far above its port a node's cluster bus
	// listens (Redis' fixed default).
	clusterBusOffset = 10000
	// clusterCreateTimeout bounds redis-cli --cluster create and the wait
	// for every node to report cluster_state:ok.
	clusterCreateTimeout = 60 * time.Second
)

// StartCluster starts a Redis Cluster of three masters (no replicas) on free
// 127.0.0.1 ports, each without persistence and with its cluster config
// file in a temp dir, joins them with redis-cli --cluster create, waits
// until every node reports cluster_state:ok and returns their addresses.
// All nodes are killed in Cleanup. Skips the test when redis-server or
// redis-cli is not in PATH.
func StartCluster(tb testing.TB) (addrs []string) {
	tb.Helper()
	server, cli := clusterBinaries(tb)
	c, err := startCluster(server, cli, func() (string, error) { return tb.TempDir(), nil }, nil)
	if err != nil {
		tb.Fatalf("start redis cluster: %v", err)
	}
	tb.Cleanup(c.close)
	return c.addrs
}

// StartClusterTLS is StartCluster with every node speaking only TLS, to
// clients and on the cluster bus, with certificates from a CA made for the
// test (client certificates not required).
func StartClusterTLS(tb testing.TB) (addrs []string, r TLSRedis) {
	tb.Helper()
	server, cli := clusterBinaries(tb)
	r, err := writeTestPKI(tb.TempDir())
	if err != nil {
		tb.Fatalf("test certificates: %v", err)
	}
	c, err := startCluster(server, cli, func() (string, error) { return tb.TempDir(), nil }, &r)
	if err != nil {
		tb.Fatalf("start redis cluster with TLS: %v", err)
	}
	tb.Cleanup(c.close)
	return c.addrs, r
}

// clusterBinaries finds redis-server and redis-cli or skips the test.
func clusterBinaries(tb testing.TB) (server, cli string) {
	tb.Helper()
	server, err := exec.LookPath("redis-server")
	if err != nil {
		tb.Skip("redis-server not found in PATH: install it (apt-get install redis-server) to run this test")
	}
	cli, err = exec.LookPath("redis-cli")
	if err != nil {
		tb.Skip("redis-cli not found in PATH: install it (apt-get install redis-tools) to run this test")
	}
	return server, cli
}

// NewClusterClient returns a Cluster client seeded with addrs, closed in
// Cleanup.
func NewClusterClient(tb testing.TB, addrs []string) *redis.ClusterClient {
	tb.Helper()
	c := redis.NewClusterClient(&redis.ClusterOptions{Addrs: addrs})
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// cluster is a running Redis Cluster.
type cluster struct {
	addrs []string
	nodes []*clusterNode
}

func (c *cluster) close() {
	for _, n := range c.nodes {
		n.kill()
	}
}

// clusterNode is one running redis-server of a cluster.
type clusterNode struct {
	addr   string
	cmd    *exec.Cmd
	exited chan struct{}
	out    *syncBuffer
}

func (n *clusterNode) kill() {
	_ = n.cmd.Process.Kill()
	<-n.exited
}

// startCluster starts the cluster, on new ports after a failed attempt
// (another process may take a port between the check and the bind).
// tempDir gives each node its own directory.
func startCluster(server, cli string, tempDir func() (string, error), t *TLSRedis) (*cluster, error) {
	var errs []error
	for range startAttempts {
		c, err := startClusterOnce(server, cli, tempDir, t)
		if err == nil {
			return c, nil
		}
		errs = append(errs, err)
	}
	return nil, fmt.Errorf("%d attempts failed: %v", startAttempts, errs)
}

// startClusterOnce starts the nodes and creates the cluster; on any
// failure it kills what it started.
func startClusterOnce(server, cli string, tempDir func() (string, error), t *TLSRedis) (*cluster, error) {
	c := &cluster{}
	for range clusterMasters {
		dir, err := tempDir()
		if err != nil {
			c.close()
			return nil, err
		}
		n, err := startClusterNode(server, dir, t)
		if err != nil {
			c.close()
			return nil, err
		}
		c.nodes = append(c.nodes, n)
		c.addrs = append(c.addrs, n.addr)
	}
	if err := createCluster(cli, c.addrs, t); err != nil {
		var logs []string
		for _, n := range c.nodes {
			logs = append(logs, n.addr+": "+n.out.String())
		}
		c.close()
		return nil, fmt.Errorf("%w; node output: %s", err, strings.Join(logs, " | "))
	}
	return c, nil
}

// startClusterNode starts one node; with t, TLS only (the port is the
// TLS port, the cluster bus speaks TLS too).
func startClusterNode(server, dir string, t *TLSRedis) (*clusterNode, error) {
	port, err := freeClusterPort()
	if err != nil {
		return nil, err
	}
	n := &clusterNode{
		addr:   net.JoinHostPort("127.0.0.1", strconv.Itoa(port)),
		exited: make(chan struct{}),
		out:    &syncBuffer{},
	}
	args := []string{"--bind", "127.0.0.1",
		"--cluster-enabled", "yes", "--cluster-config-file", filepath.Join(dir, "nodes.conf"),
		"--save", "", "--appendonly", "no", "--dir", dir}
	opt := &redis.Options{Addr: n.addr}
	if t == nil {
		args = append(args, "--port", strconv.Itoa(port))
	} else {
		certDir := filepath.Dir(t.CAFile)
		args = append(args, "--port", "0", "--tls-port", strconv.Itoa(port), "--tls-cluster", "yes", "--tls-replication", "yes",
			"--tls-cert-file", filepath.Join(certDir, "server.pem"), "--tls-key-file", filepath.Join(certDir, "server.key"),
			"--tls-ca-cert-file", t.CAFile, "--tls-auth-clients", "no")
		cfg, err := t.ClientTLS(false)
		if err != nil {
			return nil, err
		}
		opt.TLSConfig = cfg
	}
	n.cmd = exec.Command(server, args...)
	n.cmd.Stdout, n.cmd.Stderr = n.out, n.out
	n.cmd.SysProcAttr = dieWithParent()
	if err := n.cmd.Start(); err != nil {
		return nil, fmt.Errorf("run %s: %w", server, err)
	}
	go func() { _ = n.cmd.Wait(); close(n.exited) }()
	if err := waitForPingWith(opt, n.exited); err != nil {
		n.kill()
		return nil, fmt.Errorf("cluster node on port %d: %w; output: %s", port, err, n.out.String())
	}
	return n, nil
}

// freeClusterPort finds a free port whose cluster bus port is free too.
// Like freePort it only checks: another process may take either port
// before redis-server binds it, which the caller's retry covers.
func freeClusterPort() (int, error) {
	for range 100 {
		port, err := freePort()
		if err != nil {
			return 0, err
		}
		if port+clusterBusOffset > 65535 {
			continue
		}
		l, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port+clusterBusOffset)))
		if err != nil {
			continue
		}
		_ = l.Close()
		return port, nil
	}
	return 0, errors.New("find free port: no port with a free cluster bus port in 100 tries")
}

// createCluster assigns the slots with redis-cli --cluster create and waits
// until every node sees the whole cluster as ok.
func createCluster(cli string, addrs []string, t *TLSRedis) error {
	ctx, cancel := context.WithTimeout(context.Background(), clusterCreateTimeout)
	defer cancel()
	var args []string
	opt := &redis.Options{MaxRetries: -1, DialTimeout: time.Second}
	if t != nil {
		args = append(args, "--tls", "--cacert", t.CAFile)
		cfg, err := t.ClientTLS(false)
		if err != nil {
			return err
		}
		opt.TLSConfig = cfg
	}
	args = append(append(args, "--cluster", "create"), addrs...)
	args = append(args, "--cluster-replicas", "0", "--cluster-yes")
	out, err := exec.CommandContext(ctx, cli, args...).CombinedOutput()
	if err != nil {
		return fmt.Errorf("redis-cli --cluster create: %w; output: %s", err, out)
	}
	for _, addr := range addrs {
		o := *opt
		o.Addr = addr
		if err := waitClusterOK(ctx, &o); err != nil {
			return err
		}
	}
	return nil
}

// waitClusterOK polls CLUSTER INFO on one node until it reports
// cluster_state:ok with every slot assigned.
func waitClusterOK(ctx context.Context, opt *redis.Options) error {
	addr := opt.Addr
	c := redis.NewClient(opt)
	defer c.Close()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	var last string
	for {
		info, err := c.ClusterInfo(ctx).Result()
		if err == nil && strings.Contains(info, "cluster_state:ok") && strings.Contains(info, "cluster_slots_ok:16384") {
			return nil
		}
		if err != nil {
			last = err.Error()
		} else {
			last = info
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("cluster node %s not ok within %v: %s", addr, clusterCreateTimeout, last)
		case <-tick.C:
		}
	}
}
