package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
)

// simPrefix is the key prefix of a simulation's due set.
const simPrefix = "sim:"

// simPoll is one poll an instance reported.
type simPoll struct {
	inst         int
	at, deadline int64 // ms
}

// simLog checks the polls of every instance as they arrive: a source
// polled while another claim of it still held (overlap) is a double poll;
// one polled again sooner than half its interval is counted too, as the
// sources of a killed instance are (polled, never completed, so due again
// at the claim's deadline).
type simLog struct {
	mu       sync.Mutex
	last     map[string]simPoll
	polls    []int64
	overlaps []string
	early    int
	halfMS   int64
	// after, when set, records each source's first poll after it (ms)
	// by an instance other than skip.
	after   int64
	skip    int
	retaken map[string]int64
}

func (l *simLog) add(id string, p simPoll) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.polls[p.inst]++
	if prev, ok := l.last[id]; ok {
		// 5 ms of slack: the deadline is rebuilt from the context's.
		if p.at < prev.deadline-5 && len(l.overlaps) < 20 {
			l.overlaps = append(l.overlaps, fmt.Sprintf("%s by %d at %d under %d's claim until %d", id, p.inst, p.at, prev.inst, prev.deadline))
		} else if p.at < prev.deadline-5 {
			l.overlaps = append(l.overlaps[:19], "…")
		}
		if p.at-prev.at < l.halfMS {
			l.early++
		}
	}
	l.last[id] = p
	if l.after > 0 && p.inst != l.skip && p.at >= l.after {
		if _, seen := l.retaken[id]; !seen {
			l.retaken[id] = p.at
		}
	}
}

func (l *simLog) counts() []int64 {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.polls)
}

// simInstance is a running simulation instance child.
type simInstance struct {
	cmd   *exec.Cmd
	stdin io.Closer
	name  chan string
	done  chan struct{}
}

func startSimInstance(ctx context.Context, i int, args []string, log *simLog) (*simInstance, error) {
	cmd, stdin, out, err := childCommand(ctx, "sim-instance", args)
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("start simulation instance: %w", err)
	}
	in := &simInstance{cmd: cmd, stdin: stdin, name: make(chan string, 1), done: make(chan struct{})}
	go func() {
		defer close(in.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			f := strings.Fields(sc.Text())
			switch {
			case len(f) == 2 && f[0] == "i":
				in.name <- f[1]
			case len(f) == 4 && f[0] == "p":
				at, _ := strconv.ParseInt(f[2], 10, 64)
				dl, _ := strconv.ParseInt(f[3], 10, 64)
				log.add(f[1], simPoll{inst: i, at: at, deadline: dl})
			}
		}
	}()
	return in, nil
}

func (in *simInstance) stop() { stopChild(in.cmd, in.stdin, in.done) }

// simResult is what one simulated size measured.
type simResult struct {
	n                 int
	every             time.Duration
	secs              float64
	polls             []int64   // per instance, in the window
	cpu               []float64 // per instance, CPU s in the window
	rss               []int64   // per instance, peak bytes
	nodeCPU           []float64 // per Redis node, CPU s in the window
	overlaps          []string
	early             int
	killedClaims      int
	retakenAfter      time.Duration // kill → last of them polled again
	lateAfterDeadline time.Duration // worst poll after its dead claim's deadline
	notRetaken        int
}

// runSim runs the simulation for each of o.sizes and prints the figures
// side by side.
func runSim(ctx context.Context, o options, stdout io.Writer) error {
	fmt.Fprintf(stdout, "tributary-loadgen -mode sim: %d instances on a 3-master Redis Cluster, %d due-set shards, %.0f polls/s due, lease %v, no fetches; GOMAXPROCS %d\n",
		o.instances, o.shards, o.rate, o.lease, gomaxprocs())
	var results []simResult
	for _, n := range o.sizes {
		fmt.Fprintf(stdout, "  %d sources: starting\n", n)
		r, err := simulate(ctx, o, n, stdout)
		if err != nil {
			return fmt.Errorf("%d sources: %w", n, err)
		}
		results = append(results, r)
	}
	printSim(stdout, o, results)
	for _, r := range results {
		if len(r.overlaps) > 0 {
			return fmt.Errorf("%d sources: %d overlapping claims: %v", r.n, len(r.overlaps), r.overlaps)
		}
		if r.notRetaken > 0 {
			return fmt.Errorf("%d sources: %d of the killed instance's %d claims never polled again", r.n, r.notRetaken, r.killedClaims)
		}
	}
	return nil
}

// simulate runs one size on a fresh cluster: seeds the due set at every
// source's phase (the steady state, without a first pass of everything
// due at once), starts the instances, measures a window, then kills one
// instance and waits for its claims to be polled by the others.
func simulate(ctx context.Context, o options, n int, stdout io.Writer) (simResult, error) {
	r := simResult{n: n, every: time.Duration(float64(n) / o.rate * float64(time.Second)).Round(time.Second)}
	cl, err := storetest.LaunchCluster()
	if err != nil {
		return r, err
	}
	defer cl.Stop()
	client := redis.NewClusterClient(&redis.ClusterOptions{Addrs: cl.Addrs})
	defer client.Close()
	due := dueset.New(client, simPrefix, o.shards)
	if err := seedPhases(ctx, due, n, r.every); err != nil {
		return r, err
	}
	log := &simLog{last: make(map[string]simPoll, n), polls: make([]int64, o.instances), halfMS: r.every.Milliseconds() / 2}
	args := []string{"-cluster", strings.Join(cl.Addrs, ","), "-prefix", simPrefix, "-n", strconv.Itoa(n), "-every", r.every.String(),
		"-lease", o.lease.String(), "-shards", strconv.Itoa(o.shards), "-concurrency", strconv.Itoa(o.concurrency)}
	ins := make([]*simInstance, 0, o.instances)
	defer func() {
		for _, in := range ins {
			in.stop()
		}
	}()
	names := make([]string, o.instances)
	launched := time.Now()
	for i := range o.instances {
		in, err := startSimInstance(ctx, i, args, log)
		if err != nil {
			return r, err
		}
		ins = append(ins, in)
	}
	for i, in := range ins {
		select {
		case names[i] = <-in.name:
		case <-in.done:
			return r, fmt.Errorf("instance %d exited at start", i)
		case <-ctx.Done():
			return r, ctx.Err()
		}
	}
	// Every instance seeds (finding every source seeded) while it starts
	// polling, and the sources that came due meanwhile wait in a backlog:
	// the window starts once the poll rate is the due rate, and not
	// before the warm-up. At 1,000,000 sources the rate is reached while
	// each instance still collects a gigabyte of start-up garbage, which
	// made the CPU per poll measured right then seven times the steady
	// state's: the default warm-up grows with the sources.
	if err := sleepCtx(ctx, simWarmup(o.warmup, n)); err != nil {
		return r, err
	}
	settled, err := waitSteady(ctx, log, float64(n)/r.every.Seconds(), 10*time.Minute)
	if err != nil {
		return r, err
	}
	fmt.Fprintf(stdout, "  %d sources: polling at the due rate %.0f s after the instances started\n", n, time.Since(launched).Seconds())
	if !settled {
		fmt.Fprintf(stdout, "  %d sources: WARNING: the poll rate never settled at the due rate; measuring anyway\n", n)
	}
	a, aCPU, aNode := log.counts(), instCPU(ins), nodeCPU(ctx, cl)
	start := time.Now()
	if err := sleepCtx(ctx, o.duration); err != nil {
		return r, err
	}
	b, bCPU, bNode := log.counts(), instCPU(ins), nodeCPU(ctx, cl)
	r.secs = time.Since(start).Seconds()
	for i := range ins {
		r.polls = append(r.polls, b[i]-a[i])
		r.cpu = append(r.cpu, bCPU[i]-aCPU[i])
		r.rss = append(r.rss, peakRSSOf(ins[i].cmd.Process.Pid))
	}
	for i := range bNode {
		r.nodeCPU = append(r.nodeCPU, bNode[i]-aNode[i])
	}
	fmt.Fprintf(stdout, "  %d sources: measured %.0f s; killing instance 1\n", n, r.secs)
	if err := killAndWatch(ctx, o, client, due, ins, names, log, &r); err != nil {
		return r, err
	}
	log.mu.Lock()
	r.overlaps, r.early = slices.Clone(log.overlaps), log.early
	log.mu.Unlock()
	return r, nil
}

// waitSteady waits until the instances poll within 5% of rate over 5
// seconds, at most limit; settled is false when they never did.
func waitSteady(ctx context.Context, log *simLog, rate float64, limit time.Duration) (settled bool, err error) {
	const span = 5 * time.Second
	end := time.Now().Add(limit)
	for time.Now().Before(end) {
		a := sum(log.counts())
		if err := sleepCtx(ctx, span); err != nil {
			return false, err
		}
		got := float64(sum(log.counts())-a) / span.Seconds()
		if got >= 0.95*rate && got <= 1.05*rate {
			return true, nil
		}
	}
	return false, nil
}

// seedPhases puts every source in the due set at its schedule's next
// firing, as a long-running deployment has them.
func seedPhases(ctx context.Context, due *dueset.Set, n int, every time.Duration) error {
	now := time.Now()
	at := make(map[string]time.Time, 10000)
	for _, src := range simSources(n, every) {
		s, err := config.ParseSchedule(src.Schedule, src.ID)
		if err != nil {
			return err
		}
		at[src.ID] = s.Next(now)
		if len(at) == 10000 {
			if err := due.ScheduleDue(ctx, at, now); err != nil {
				return err
			}
			clear(at)
		}
	}
	return due.ScheduleDue(ctx, at, now)
}

// killAndWatch SIGKILLs the first instance, reads the claims it left
// (its tokens start with its name), and waits until the other instances
// have polled each of those sources, at most three leases.
func killAndWatch(ctx context.Context, o options, client *redis.ClusterClient, due *dueset.Set, ins []*simInstance, names []string, log *simLog, r *simResult) error {
	log.mu.Lock()
	log.after, log.skip, log.retaken = time.Now().UnixMilli(), 0, map[string]int64{}
	log.mu.Unlock()
	killed := time.Now()
	if err := ins[0].cmd.Process.Signal(syscall.SIGKILL); err != nil {
		return fmt.Errorf("kill instance 1: %w", err)
	}
	<-ins[0].done
	_ = ins[0].cmd.Wait()
	ins[0].stdin.Close()
	deadlines := map[string]int64{}
	k := due.Keys()
	for s := range k.Shards {
		claims, err := client.HGetAll(ctx, k.Claims(s)).Result()
		if err != nil {
			return fmt.Errorf("read claims: %w", err)
		}
		for id, tok := range claims {
			if strings.HasPrefix(tok, names[0]+":") {
				sc, err := client.ZScore(ctx, k.Due(s), id).Result()
				if err == nil {
					deadlines[id] = int64(sc)
				}
			}
		}
	}
	r.killedClaims = len(deadlines)
	watch := func() (int, time.Duration, time.Duration) {
		log.mu.Lock()
		defer log.mu.Unlock()
		missing, last, late := 0, time.Duration(0), time.Duration(0)
		for id, dl := range deadlines {
			at, ok := log.retaken[id]
			if !ok {
				missing++
				continue
			}
			last = max(last, time.Duration(at-killed.UnixMilli())*time.Millisecond)
			late = max(late, time.Duration(at-dl)*time.Millisecond)
		}
		return missing, last, late
	}
	limit := time.Now().Add(3 * o.lease)
	for {
		missing, last, late := watch()
		r.notRetaken, r.retakenAfter, r.lateAfterDeadline = missing, last, late
		if missing == 0 || time.Now().After(limit) {
			return nil
		}
		if err := sleepCtx(ctx, 100*time.Millisecond); err != nil {
			return err
		}
	}
}

// instCPU is each instance's CPU seconds so far.
func instCPU(ins []*simInstance) []float64 {
	out := make([]float64, len(ins))
	for i, in := range ins {
		out[i] = procCPUSeconds(in.cmd.Process.Pid)
	}
	return out
}

// nodeCPU is each Redis node's CPU seconds so far (INFO cpu: used_cpu_sys
// plus used_cpu_user).
func nodeCPU(ctx context.Context, cl *storetest.Cluster) []float64 {
	out := make([]float64, len(cl.Addrs))
	for i, addr := range cl.Addrs {
		c := redis.NewClient(&redis.Options{Addr: addr})
		info, err := c.Info(ctx, "cpu").Result()
		_ = c.Close()
		if err != nil {
			continue
		}
		for _, line := range strings.Split(info, "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(line), ":")
			if ok && (k == "used_cpu_sys" || k == "used_cpu_user") {
				f, _ := strconv.ParseFloat(v, 64)
				out[i] += f
			}
		}
	}
	return out
}

// peakRSSOf is process pid's peak RSS (VmHWM), 0 when unreadable.
func peakRSSOf(pid int) int64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
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

func printSim(w io.Writer, o options, rs []simResult) {
	row := func(label string, f func(r simResult) string) {
		fmt.Fprintf(w, "%-44s", label)
		for _, r := range rs {
			fmt.Fprintf(w, " %16s", f(r))
		}
		fmt.Fprintln(w)
	}
	fmt.Fprintln(w)
	row("sources", func(r simResult) string { return strconv.Itoa(r.n) })
	row("schedule", func(r simResult) string { return "@every " + r.every.String() })
	row("measured window (s)", func(r simResult) string { return fmt.Sprintf("%.0f", r.secs) })
	row("polls/s, all instances (due)", func(r simResult) string {
		return fmt.Sprintf("%.0f (%.0f)", float64(sum(r.polls))/r.secs, float64(r.n)/r.every.Seconds())
	})
	row("instance CPU s per 1,000 polls: min", func(r simResult) string { return perK(r, slices.Min) })
	row("                                median", func(r simResult) string { return perK(r, median) })
	row("                                max", func(r simResult) string { return perK(r, slices.Max) })
	row("polls per instance: min – max", func(r simResult) string {
		return fmt.Sprintf("%d – %d", slices.Min(r.polls), slices.Max(r.polls))
	})
	row("instance peak RSS (MB): max", func(r simResult) string { return fmt.Sprintf("%.0f", float64(slices.Max(r.rss))/(1<<20)) })
	for i := range rs[0].nodeCPU {
		row(fmt.Sprintf("Redis node %d CPU (%% of a core)", i+1), func(r simResult) string { return fmt.Sprintf("%.1f", 100*r.nodeCPU[i]/r.secs) })
	}
	row("Redis CPU s per 1,000 polls, all nodes", func(r simResult) string {
		var t float64
		for _, c := range r.nodeCPU {
			t += c
		}
		return fmt.Sprintf("%.4f", 1000*t/float64(max(sum(r.polls), 1)))
	})
	row("overlapping claims (double polls)", func(r simResult) string { return strconv.Itoa(len(r.overlaps)) })
	row("polled again within half an interval", func(r simResult) string { return strconv.Itoa(r.early) })
	row("killed instance's claims", func(r simResult) string { return strconv.Itoa(r.killedClaims) })
	row("  all polled by others after the kill (s)", func(r simResult) string {
		if r.notRetaken > 0 {
			return fmt.Sprintf("%d never", r.notRetaken)
		}
		return fmt.Sprintf("%.2f", r.retakenAfter.Seconds())
	})
	row("  latest past its claim's deadline (s)", func(r simResult) string { return fmt.Sprintf("%.2f", r.lateAfterDeadline.Seconds()) })
	fmt.Fprintf(w, "(lease %v: a killed instance's claims must be polled by others within one lease of the kill)\n", o.lease)
}

func sum(xs []int64) int64 {
	var t int64
	for _, x := range xs {
		t += x
	}
	return t
}

func median(xs []float64) float64 {
	s := slices.Sorted(slices.Values(xs))
	return s[len(s)/2]
}

// perK is f over the instances' CPU seconds per 1,000 polls.
func perK(r simResult, f func([]float64) float64) string {
	v := make([]float64, len(r.cpu))
	for i := range r.cpu {
		v[i] = 1000 * r.cpu[i] / float64(max(r.polls[i], 1))
	}
	return fmt.Sprintf("%.3f", f(v))
}

// simWarmup is the wait before measuring n sources: warmup when set,
// else 10 s and 1 s more per 5,000 sources past 50,000 (200 s at
// 1,000,000).
func simWarmup(warmup time.Duration, n int) time.Duration {
	if warmup > 0 {
		return warmup
	}
	return 10*time.Second + time.Duration(max(n-50000, 0)/5000)*time.Second
}
