// Package storetest starts Redis backends for tests: a real redis-server on
// a free 127.0.0.1 port, and the embedded miniredis of package store. It is
// a normal (non-test) package so tests of other packages can import it.
//
// It never touches a Redis it did not start, and never port 6379.
package storetest

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net"
	"os/exec"
	"path/filepath"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"github.com/tributary-rss/tributary/aggregator/store"
)

const (
	startAttempts = 5
	startTimeout  = 10 * time.Second
	pollEvery     = 10 * time.Millisecond
	defaultPort   = 6379
)

// Backend is a named way to get a client to a fresh, empty Redis.
type Backend struct {
	Name  string
	Start func(tb testing.TB) redis.UniversalClient
}

// Backends returns the backends every store test should pass on:
// "redis-server" (skipped when not installed) and "embedded" (miniredis via
// store.StartEmbedded with a snapshot in a temp dir).
func Backends() []Backend {
	return []Backend{
		{Name: "redis-server", Start: func(tb testing.TB) redis.UniversalClient {
			return NewClient(tb, StartRedis(tb))
		}},
		{Name: "embedded", Start: func(tb testing.TB) redis.UniversalClient {
			return StartEmbedded(tb)
		}},
	}
}

// StartEmbedded starts store.Embedded with a snapshot file in a temp dir
// and returns a client to it (with its password: a client that has only
// its address is refused); both are closed in Cleanup, the client first.
func StartEmbedded(tb testing.TB) *redis.Client {
	tb.Helper()
	e, err := store.StartEmbedded(filepath.Join(tb.TempDir(), "tributary.snapshot"), slog.New(slog.DiscardHandler))
	if err != nil {
		tb.Fatalf("start embedded redis: %v", err)
	}
	tb.Cleanup(func() {
		if err := e.Close(); err != nil {
			tb.Errorf("close embedded redis: %v", err)
		}
	})
	c := redis.NewClient(e.ClientOptions())
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// NewClient returns a client for addr, closed in Cleanup.
func NewClient(tb testing.TB, addr string) *redis.Client {
	tb.Helper()
	c := redis.NewClient(&redis.Options{Addr: addr})
	tb.Cleanup(func() { _ = c.Close() })
	return c
}

// StartRedis starts a real redis-server on a free 127.0.0.1 port (never
// 6379), without persistence, in a temp dir, and kills it in Cleanup. The
// port is found by listening on port 0 and closing, so another process can
// grab it before redis-server binds: a failed start is retried on a new
// port. Skips the test when redis-server is not in PATH.
func StartRedis(tb testing.TB) (addr string) {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		tb.Skip("redis-server not found in PATH: install it (apt-get install redis-server) to run this test")
	}
	var errs []error
	for range startAttempts {
		addr, err := startRedisOnce(tb, bin)
		if err == nil {
			return addr
		}
		errs = append(errs, err)
	}
	tb.Fatalf("start redis-server: %d attempts failed: %v", startAttempts, errs)
	return ""
}

func startRedisOnce(tb testing.TB, bin string) (string, error) {
	port, err := freePort()
	if err != nil {
		return "", err
	}
	addr := net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	var out syncBuffer
	cmd := exec.Command(bin,
		"--port", strconv.Itoa(port), "--bind", "127.0.0.1",
		"--save", "", "--appendonly", "no", "--dir", tb.TempDir())
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return "", fmt.Errorf("run %s: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	if err := waitForPing(addr, exited); err != nil {
		_ = cmd.Process.Kill()
		<-exited
		return "", fmt.Errorf("port %d: %w; output: %s", port, err, out.String())
	}
	tb.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-exited
	})
	return addr, nil
}

func freePort() (int, error) {
	for {
		l, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return 0, fmt.Errorf("find free port: %w", err)
		}
		port := l.Addr().(*net.TCPAddr).Port
		_ = l.Close()
		if port != defaultPort {
			return port, nil
		}
	}
}

// waitForPing polls addr with PING until it answers, the process exits or
// startTimeout passes.
func waitForPing(addr string, exited <-chan struct{}) error {
	return waitForPingWith(&redis.Options{Addr: addr}, exited)
}

// waitForPingWith is waitForPing with the client options (TLS) given.
func waitForPingWith(opt *redis.Options, exited <-chan struct{}) error {
	opt.MaxRetries, opt.DialTimeout = -1, time.Second
	c := redis.NewClient(opt)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		if err := c.Ping(ctx).Err(); err == nil {
			return nil
		}
		select {
		case <-exited:
			return fmt.Errorf("redis-server exited before answering PING")
		case <-ctx.Done():
			return fmt.Errorf("no PING answer within %v", startTimeout)
		case <-tick.C:
		}
	}
}

// syncBuffer collects a process's output while it runs.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
