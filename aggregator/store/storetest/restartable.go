package storetest

import (
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"sync"
	"syscall"
	"testing"
)

// RedisServer is a real redis-server a test can stop and start again on
// the same address with the same data (append-only file, fsync on every
// write), to play a Redis outage and its end.
type RedisServer struct {
	tb   testing.TB
	bin  string
	dir  string
	port int
	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
}

// StartRestartableRedis starts a RedisServer on a free 127.0.0.1 port
// (never 6379), stopped in Cleanup. Skips the test when redis-server is not
// in PATH.
func StartRestartableRedis(tb testing.TB) *RedisServer {
	tb.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		tb.Skip("redis-server not found in PATH: install it (apt-get install redis-server) to run this test")
	}
	s := &RedisServer{tb: tb, bin: bin, dir: tb.TempDir()}
	var errs []error
	for range startAttempts {
		if s.port, err = freePort(); err == nil {
			if err = s.start(); err == nil {
				tb.Cleanup(s.kill)
				return s
			}
		}
		errs = append(errs, err)
	}
	tb.Fatalf("start redis-server: %d attempts failed: %v", startAttempts, errs)
	return nil
}

// Addr is host:port, the same across restarts.
func (s *RedisServer) Addr() string {
	return net.JoinHostPort("127.0.0.1", strconv.Itoa(s.port))
}

// Stop shuts the server down the way an operator would (SIGTERM: Redis
// flushes its append-only file and exits) and waits for it to exit.
func (s *RedisServer) Stop() {
	s.tb.Helper()
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd == nil {
		return
	}
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.tb.Fatalf("stop redis-server: %v", err)
	}
	<-s.done
	s.cmd = nil
}

// Start starts the stopped server again on the same port and data
// directory, and waits until it answers PING.
func (s *RedisServer) Start() {
	s.tb.Helper()
	if err := s.start(); err != nil {
		s.tb.Fatalf("restart redis-server on port %d: %v", s.port, err)
	}
}

// StartEmpty starts the stopped server again on the same port with its
// data files deleted: a Redis that lost everything (no persistence, a
// wiped disk).
func (s *RedisServer) StartEmpty() {
	s.tb.Helper()
	if err := os.RemoveAll(s.dir); err != nil {
		s.tb.Fatalf("wipe redis data: %v", err)
	}
	if err := os.MkdirAll(s.dir, 0o755); err != nil {
		s.tb.Fatalf("wipe redis data: %v", err)
	}
	s.Start()
}

func (s *RedisServer) start() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out syncBuffer
	cmd := exec.Command(s.bin,
		"--port", strconv.Itoa(s.port), "--bind", "127.0.0.1", "--save", "",
		"--appendonly", "yes", "--appendfsync", "always", "--dir", s.dir)
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("run %s: %w", s.bin, err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	if err := waitForPing(s.Addr(), done); err != nil {
		_ = cmd.Process.Kill()
		<-done
		return fmt.Errorf("port %d: %w; output: %s", s.port, err, out.String())
	}
	s.cmd, s.done = cmd, done
	return nil
}

func (s *RedisServer) kill() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cmd != nil {
		_ = s.cmd.Process.Kill()
		<-s.done
		s.cmd = nil
	}
}
