package storetest

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// SentinelMaster is the master name StartSentinel's Sentinel monitors.
const SentinelMaster = "tributary-test"

// StartSentinel starts a redis-server master (as StartRedis) and one Redis
// Sentinel monitoring it as SentinelMaster, both on free 127.0.0.1 ports,
// waits until the Sentinel reports the master's address and returns both
// addresses. Both are killed in Cleanup. Skips the test when redis-server
// is not in PATH or cannot run in Sentinel mode.
func StartSentinel(tb testing.TB) (sentinelAddr, masterAddr string) {
	tb.Helper()
	masterAddr = StartRedis(tb)
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		tb.Skip("redis-server not found in PATH: install it (apt-get install redis-server) to run this test")
	}
	var errs []error
	for range startAttempts {
		addr, unavailable, err := startSentinelOnce(tb, bin, masterAddr)
		if err == nil {
			return addr, masterAddr
		}
		if unavailable {
			tb.Skipf("redis-server cannot run as a Sentinel here: %v", err)
		}
		errs = append(errs, err)
	}
	tb.Fatalf("start redis sentinel: %d attempts failed: %v", startAttempts, errs)
	return "", ""
}

// startSentinelOnce starts the Sentinel. unavailable reports a server
// that exited at once for a reason other than a taken port: a build
// without Sentinel mode, which no retry fixes.
func startSentinelOnce(tb testing.TB, bin, masterAddr string) (addr string, unavailable bool, err error) {
	port, err := freePort()
	if err != nil {
		return "", false, err
	}
	host, masterPort, err := net.SplitHostPort(masterAddr)
	if err != nil {
		return "", false, fmt.Errorf("master address %q: %w", masterAddr, err)
	}
	dir := tb.TempDir()
	// Sentinel rewrites its config file, so it gets a writable one of its
	// own.
	conf := filepath.Join(dir, "sentinel.conf")
	body := fmt.Sprintf("port %d\nbind 127.0.0.1\ndir %s\nsentinel monitor %s %s %s 1\nsentinel down-after-milliseconds %s 5000\n",
		port, dir, SentinelMaster, host, masterPort, SentinelMaster)
	if err := os.WriteFile(conf, []byte(body), 0o600); err != nil {
		return "", false, fmt.Errorf("write sentinel config: %w", err)
	}
	addr = net.JoinHostPort("127.0.0.1", strconv.Itoa(port))
	var out syncBuffer
	cmd := exec.Command(bin, conf, "--sentinel")
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.SysProcAttr = dieWithParent()
	if err := cmd.Start(); err != nil {
		return "", false, fmt.Errorf("run %s --sentinel: %w", bin, err)
	}
	exited := make(chan struct{})
	go func() { _ = cmd.Wait(); close(exited) }()
	kill := func() {
		_ = cmd.Process.Kill()
		<-exited
	}
	if err := waitForPing(addr, exited); err != nil {
		kill()
		exitedEarly := strings.Contains(err.Error(), "exited")
		return "", exitedEarly && !strings.Contains(out.String(), "Address already in use"),
			fmt.Errorf("sentinel on port %d: %w; output: %s", port, err, out.String())
	}
	if err := waitSentinelMaster(addr, masterAddr); err != nil {
		kill()
		return "", false, err
	}
	tb.Cleanup(kill)
	return addr, false, nil
}

// waitSentinelMaster waits until the Sentinel at addr names masterAddr as
// SentinelMaster's address.
func waitSentinelMaster(addr, masterAddr string) error {
	s := redis.NewSentinelClient(&redis.Options{Addr: addr, MaxRetries: -1, DialTimeout: time.Second})
	defer s.Close()
	ctx, cancel := context.WithTimeout(context.Background(), startTimeout)
	defer cancel()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	var last string
	for {
		hp, err := s.GetMasterAddrByName(ctx, SentinelMaster).Result()
		if err == nil && len(hp) == 2 && net.JoinHostPort(hp[0], hp[1]) == masterAddr {
			return nil
		}
		last = fmt.Sprint(hp, err)
		select {
		case <-ctx.Done():
			return fmt.Errorf("sentinel %s does not report master %s within %v: %s", addr, masterAddr, startTimeout, last)
		case <-tick.C:
		}
	}
}
