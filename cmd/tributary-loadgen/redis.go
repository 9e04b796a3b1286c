package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// redisChild is a redis-server the harness started for itself.
type redisChild struct {
	cmd  *exec.Cmd
	addr string
	dir  string
}

// startRedis runs redis-server on a free loopback port (never 6379) with
// persistence off.
func startRedis(ctx context.Context) (*redisChild, error) {
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		return nil, fmt.Errorf("redis-server not in PATH (apt-get install redis-server), or pass --redis URL: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	dir, err := os.MkdirTemp("", "loadgen-redis-")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, "--port", strconv.Itoa(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir)
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start redis-server: %w", err)
	}
	c := &redisChild{cmd: cmd, addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), dir: dir}
	// Dial errors while redis-server starts are expected; go-redis would
	// print each one.
	redis.SetLogger(quietLogger{})
	client := redis.NewClient(&redis.Options{Addr: c.addr})
	defer client.Close()
	deadline := time.Now().Add(10 * time.Second)
	for client.Ping(ctx).Err() != nil {
		if time.Now().After(deadline) {
			c.stop()
			return nil, fmt.Errorf("redis-server on %s did not answer within 10s", c.addr)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return c, nil
}

// cpuSeconds is the CPU time redis-server used so far.
func (c *redisChild) cpuSeconds() float64 {
	return procCPUSeconds(c.cmd.Process.Pid)
}

// procCPUSeconds is the user+system CPU time of process pid so far
// (/proc/PID/stat), 0 when unreadable.
func procCPUSeconds(pid int) float64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name, which is in parentheses.
	f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+2:]))
	if len(f) < 13 {
		return 0
	}
	ut, _ := strconv.ParseFloat(f[11], 64)
	st, _ := strconv.ParseFloat(f[12], 64)
	return (ut + st) / 100 // USER_HZ is 100 on Linux
}

func (c *redisChild) stop() {
	_ = c.cmd.Process.Kill()
	_ = c.cmd.Wait()
	_ = os.RemoveAll(c.dir)
}

// quietLogger drops go-redis's own log lines.
type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}
