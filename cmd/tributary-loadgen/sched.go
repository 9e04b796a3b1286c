package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/redis/go-redis/v9"
)

// Targets of the scheduler harness for 100k sources on @every 5m (333
// polls/s) on a 2-core machine. Printed next to the figures, not asserted.
const (
	targetSchedCPU   = 15.0 // % of a core, all instances together
	targetFirstFetch = 3 * time.Second
	targetSchedRSSMB = 300
)

// instance is a running scheduler instance child.
type instance struct {
	cmd    *exec.Cmd
	stdin  io.Closer
	launch time.Time
	mu     sync.Mutex
	last   instanceReport
	exited chan struct{}
}

func (in *instance) report() instanceReport {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.last
}

// childCommand is this binary run as a child in mode, with its stdin and
// stdout piped to the harness; the caller starts it.
func childCommand(ctx context.Context, mode string, args []string) (*exec.Cmd, io.WriteCloser, io.ReadCloser, error) {
	exe, err := os.Executable()
	if err != nil {
		return nil, nil, nil, err
	}
	cmd := exec.CommandContext(ctx, exe, append([]string{mode}, args...)...)
	cmd.Stderr = os.Stderr
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, nil, nil, err
	}
	return cmd, stdin, out, nil
}

func startInstance(ctx context.Context, args []string) (*instance, error) {
	cmd, stdin, out, err := childCommand(ctx, "sched-instance", args)
	if err != nil {
		return nil, err
	}
	in := &instance{cmd: cmd, stdin: stdin, launch: time.Now(), exited: make(chan struct{})}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start scheduler instance: %w", err)
	}
	go func() {
		defer close(in.exited)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			var r instanceReport
			if json.Unmarshal(sc.Bytes(), &r) == nil {
				in.mu.Lock()
				in.last = r
				in.mu.Unlock()
			}
		}
	}()
	return in, nil
}

func (in *instance) stop() { stopChild(in.cmd, in.stdin, in.exited) }

// stopChild ends a child of childCommand: closing its stdin asks it to
// stop; one that has not exited (exited closed) within 15 s is killed.
func stopChild(cmd *exec.Cmd, stdin io.Closer, exited <-chan struct{}) {
	_ = stdin.Close()
	select {
	case <-exited:
	case <-time.After(15 * time.Second):
		_ = cmd.Process.Kill()
	}
	_ = cmd.Wait()
}

// peakRSS is the child's lifetime peak RSS (VmHWM), 0 when unreadable.
func (in *instance) peakRSS() int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", in.cmd.Process.Pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}

// schedSample is the counters at one instant of the steady state.
type schedSample struct {
	at        time.Time
	polls     []int64
	cmds      []int64
	cpu       []float64
	redisCmds int64
	redisCPU  float64
	feedsCPU  float64
}

// runSched runs the real scheduler in o.instances child processes over
// o.n sources answering 304, against a redis-server it starts, and prints
// the start-up and steady-state figures.
func runSched(ctx context.Context, o options, stdout io.Writer) error {
	feeds, err := startFeedChild(ctx, o.n, "-only304")
	if err != nil {
		return err
	}
	defer feeds.stop()
	rc, err := startRedis(ctx)
	if err != nil {
		return err
	}
	defer rc.stop()
	client := redis.NewClient(&redis.Options{Addr: rc.addr})
	defer client.Close()
	fmt.Fprintf(stdout, "tributary-loadgen -mode sched: %d sources on @every %v (%.0f polls/s due), %d instance(s), concurrency %d each, %d due-set shard(s), redis-server on %s\n\n",
		o.n, o.every, float64(o.n)/o.every.Seconds(), o.instances, o.concurrency, o.shards, rc.addr)
	args := []string{"-redis", rc.addr, "-feeds", feeds.addr, "-n", strconv.Itoa(o.n), "-every", o.every.String(),
		"-concurrency", strconv.Itoa(o.concurrency), "-shards", strconv.Itoa(o.shards)}
	var ins []*instance
	defer func() {
		for _, in := range ins {
			in.stop()
		}
	}()
	for range o.instances {
		in, err := startInstance(ctx, args)
		if err != nil {
			return err
		}
		ins = append(ins, in)
	}
	// The first pass: every source is new, so due at once.
	start := ins[0].launch
	if err := waitUntil(ctx, func() bool { return totalPolls(ins) >= int64(o.n) }, func() {
		fmt.Fprintf(stdout, "  first pass: %d of %d sources polled\n", totalPolls(ins), o.n)
	}); err != nil {
		return err
	}
	firstPass := time.Since(start)
	// An off-phase poll lets a firing less than half an interval (at most
	// 15 minutes) away pass, so the first pass's sources come due again
	// at their own phases from then on: the steady state.
	settle := min(o.every/2, 15*time.Minute) + 2*time.Second
	fmt.Fprintf(stdout, "  first pass done in %.1f s; the steady state starts %v later\n", firstPass.Seconds(), settle.Round(time.Second))
	if err := sleepCtx(ctx, settle); err != nil {
		return err
	}
	a := sample(ctx, client, rc, feeds, ins)
	if err := sleepCtx(ctx, o.duration); err != nil {
		return err
	}
	b := sample(ctx, client, rc, feeds, ins)
	printSched(stdout, o, ins, firstPass, a, b)
	return nil
}

func totalPolls(ins []*instance) int64 {
	var n int64
	for _, in := range ins {
		n += in.report().Polls
	}
	return n
}

func sample(ctx context.Context, client *redis.Client, rc *redisChild, feeds *feedChild, ins []*instance) schedSample {
	s := schedSample{at: time.Now(), redisCPU: rc.cpuSeconds(), feedsCPU: procCPUSeconds(feeds.cmd.Process.Pid)}
	for _, in := range ins {
		r := in.report()
		s.polls = append(s.polls, r.Polls)
		s.cmds = append(s.cmds, r.Cmds)
		s.cpu = append(s.cpu, procCPUSeconds(in.cmd.Process.Pid))
	}
	s.redisCmds = redisCommands(ctx, client)
	return s
}

func printSched(w io.Writer, o options, ins []*instance, firstPass time.Duration, a, b schedSample) {
	secs := b.at.Sub(a.at).Seconds()
	var polls, cmds int64
	var cpu float64
	for i := range ins {
		polls += b.polls[i] - a.polls[i]
		cmds += b.cmds[i] - a.cmds[i]
		cpu += b.cpu[i] - a.cpu[i]
	}
	first := time.Duration(0)
	for _, in := range ins {
		r := in.report()
		if r.First == 0 {
			continue
		}
		if d := time.Unix(0, r.First).Sub(in.launch); first == 0 || d < first {
			first = d
		}
	}
	fmt.Fprintf(w, "\nstart → first fetch:        %8.2f s   (target ≤ %v)\n", first.Seconds(), targetFirstFetch)
	fmt.Fprintf(w, "first pass (%d sources):   %8.1f s\n", o.n, firstPass.Seconds())
	fmt.Fprintf(w, "steady state (%.0f s):\n", secs)
	fmt.Fprintf(w, "  polls/s:                  %8.1f   (due: %.1f)\n", float64(polls)/secs, float64(o.n)/o.every.Seconds())
	fmt.Fprintf(w, "  scheduler CPU:            %8.1f %% of a core, all instances   (target ≤ %.0f%% at 100k on @every 5m)\n", 100*cpu/secs, targetSchedCPU)
	fmt.Fprintf(w, "  redis commands per poll:  %8.2f   sent by the instances (a script counts once; target ≤ 3)\n", float64(cmds)/float64(max(polls, 1)))
	fmt.Fprintf(w, "                            %8.2f   run by redis-server (each call inside a script counts)\n",
		float64(b.redisCmds-a.redisCmds-1)/float64(max(polls, 1)))
	fmt.Fprintf(w, "  redis-server CPU:         %8.1f %% of a core\n", 100*(b.redisCPU-a.redisCPU)/secs)
	fmt.Fprintf(w, "  feed server CPU:          %8.1f %% of a core\n", 100*(b.feedsCPU-a.feedsCPU)/secs)
	fmt.Fprintf(w, "\n%-10s %10s %8s %10s %10s %8s\n", "instance", "polls", "share", "cpu_%", "peak_MB", "errors")
	for i, in := range ins {
		p := b.polls[i] - a.polls[i]
		r := in.report()
		fmt.Fprintf(w, "%-10d %10d %7.1f%% %10.1f %10.1f %8d\n", i+1, p, 100*float64(p)/float64(max(polls, 1)),
			100*(b.cpu[i]-a.cpu[i])/secs, float64(in.peakRSS())/(1<<20), r.Errors)
		if r.FirstErr != "" {
			fmt.Fprintf(w, "  first error: %s\n", r.FirstErr)
		}
	}
	fmt.Fprintf(w, "(peak RSS target < %d MB per instance)\n", targetSchedRSSMB)
}

// redisCommands is the server's total_commands_processed (INFO stats).
func redisCommands(ctx context.Context, client *redis.Client) int64 {
	info, err := client.Info(ctx, "stats").Result()
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(info, "\n") {
		if v, ok := strings.CutPrefix(strings.TrimSpace(line), "total_commands_processed:"); ok {
			n, _ := strconv.ParseInt(v, 10, 64)
			return n
		}
	}
	return 0
}

// waitUntil polls cond every 100 ms until it holds or ctx ends, calling
// progress every 10 s.
func waitUntil(ctx context.Context, cond func() bool, progress func()) error {
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	last := time.Now()
	for !cond() {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		if time.Since(last) >= 10*time.Second {
			progress()
			last = time.Now()
		}
	}
	return nil
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
