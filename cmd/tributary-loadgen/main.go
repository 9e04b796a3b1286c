// Command tributary-loadgen measures the poll pipeline at scale. It serves
// N synthetic feeds (RSS and Atom, 20 items, about 10–30 KB, Chinese and
// English) from a child process on loopback and drives the real pipeline —
// fetch, parse, normalize, store — against a redis-server it starts (or
// --redis), printing per round feeds/s, CPU seconds, peak RSS and p50/p99
// poll latency next to its targets.
//
// Rounds: a first pass (all new), a pass with nothing changed and the
// server ignoring validators (the body hash skips parsing), a pass with
// validators honoured (304), and, with --change, a pass where that share
// of the feeds has new items.
//
// With -mode sched it measures the scheduler instead: -instances child
// processes each run the daemon's scheduler over the same N sources, all
// answering 304, on "@every -every" against one redis-server, and it
// prints the time from start to the first fetch, the first pass, and in
// the steady state polls/s, CPU per instance, Redis commands per poll and
// peak RSS.
//
// With -mode sim it simulates scheduling alone at scale: for each of
// -sizes it starts a Redis Cluster of three masters, seeds the due set
// (split into -shards) at every source's phase, runs -instances scheduler
// children whose polls fetch nothing, on an @every that makes -rate polls
// per second, and prints side by side each instance's CPU per 1,000
// polls, Redis CPU per node, double polls (overlapping claims), and how
// soon a killed instance's claims are polled by the others.
//
// With -mode fetch it measures the tributary fetch command (-bin) as an
// operator runs it, process start included: N sources on the synthetic
// feed server, a first pass, then -runs passes where every source answers
// 304, alternating with a reference binary (-ref) when given, and prints
// wall time, feeds/s, CPU, peak RSS and Redis and server CPU side by side.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/tributary-rss/tributary/aggregator/scheduler/dueset"
)

func main() {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		if err := serveMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "tributary-loadgen serve:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "sim-instance" {
		if err := simInstanceMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "tributary-loadgen sim-instance:", err)
			os.Exit(1)
		}
		return
	}
	if len(os.Args) > 1 && os.Args[1] == "sched-instance" {
		if err := schedInstanceMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, "tributary-loadgen sched-instance:", err)
			os.Exit(1)
		}
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "tributary-loadgen:", err)
		os.Exit(1)
	}
}

// options are the command's flags.
type options struct {
	n           int
	concurrency int
	redisURL    string
	change      float64
	cpuProfile  string
	// -mode sched
	mode      string
	every     time.Duration
	instances int
	duration  time.Duration
	// -mode sim
	sizes  []int
	rate   float64
	lease  time.Duration
	shards int
	warmup time.Duration
	// -mode fetch
	bin, refBin string
	runs        int
}

func parseFlags(args []string, stderr io.Writer) (options, error) {
	var o options
	fs := flag.NewFlagSet("tributary-loadgen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.IntVar(&o.n, "n", 1000, "number of synthetic feeds")
	fs.IntVar(&o.concurrency, "concurrency", 16, "polls running at once (fetch.concurrency)")
	fs.StringVar(&o.redisURL, "redis", "", "use this Redis (keys under a fresh prefix) instead of starting redis-server")
	fs.Float64Var(&o.change, "change", 0.1, "share of feeds that get new items before the last round (0 skips it)")
	fs.StringVar(&o.cpuProfile, "cpuprofile", "", "write a CPU profile of each round to FILE.roundN")
	fs.StringVar(&o.mode, "mode", "rounds", "rounds: poll every feed once per round; sched: run the scheduler (see -every, -instances, -duration); sim: simulate scheduling at scale on a Redis Cluster (see -sizes, -rate, -lease, -shards); fetch: run the tributary fetch command (see -bin, -ref, -runs)")
	fs.DurationVar(&o.every, "every", 5*time.Minute, "-mode sched: each source's schedule, @every this")
	fs.IntVar(&o.instances, "instances", 1, "-mode sched, sim: scheduler instances (processes) sharing one Redis")
	fs.DurationVar(&o.duration, "duration", time.Minute, "-mode sched: how long to measure the steady state")
	sizes := fs.String("sizes", "100000,1000000", "-mode sim: source counts to simulate, comma-separated")
	fs.Float64Var(&o.rate, "rate", 2000, "-mode sim: polls per second due (each size's @every is sources / rate)")
	fs.DurationVar(&o.lease, "lease", 10*time.Second, "-mode sim: the claim lease")
	fs.IntVar(&o.shards, "shards", 0, "-mode sched, sim: due set shards (scheduler.shards; 0: 1 for sched, 16 for sim)")
	fs.DurationVar(&o.warmup, "warmup", 0, "-mode sim: wait after the instances start before measuring (0: 10 s, and 1 s more per 5,000 sources past 50,000)")
	fs.StringVar(&o.bin, "bin", "", "-mode fetch: the tributary binary to measure")
	fs.StringVar(&o.refBin, "ref", "", "-mode fetch: a reference tributary binary (say, a previous commit's) measured alternately in the same run")
	fs.IntVar(&o.runs, "runs", 3, "-mode fetch: runs of the 304 round per binary")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	for f := range strings.SplitSeq(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return o, fmt.Errorf("-sizes: %q is not a source count", f)
		}
		o.sizes = append(o.sizes, n)
	}
	if o.shards == 0 {
		o.shards = dueset.DefaultShards
		if o.mode == "sim" {
			o.shards = 16
		}
	}
	if o.n < 1 || o.concurrency < 1 || o.change < 0 || o.change > 1 {
		return o, fmt.Errorf("need -n ≥ 1, -concurrency ≥ 1 and 0 ≤ -change ≤ 1")
	}
	switch {
	case o.mode != "rounds" && o.mode != "sched" && o.mode != "sim" && o.mode != "fetch":
		return o, fmt.Errorf("-mode must be rounds, sched, sim or fetch, not %q", o.mode)
	case o.mode == "fetch" && (o.bin == "" || o.runs < 1 || o.redisURL != ""):
		return o, fmt.Errorf("-mode fetch needs -bin (a built tributary: go build -o /tmp/tributary ./cmd/tributary) and -runs ≥ 1; it starts its own redis-server")
	case o.mode == "sim" && (o.instances < 2 || o.rate <= 0 || o.lease < time.Second || o.duration <= 0):
		return o, fmt.Errorf("-mode sim needs -instances ≥ 2 (one is killed), -rate > 0, -lease ≥ 1s and -duration > 0")
	case o.shards < 1 || o.shards > dueset.MaxShards:
		return o, fmt.Errorf("-shards must be from 1 to %d", dueset.MaxShards)
	case o.mode == "sched" && (o.every < time.Second || o.instances < 1 || o.duration <= 0):
		return o, fmt.Errorf("-mode sched needs -every ≥ 1s, -instances ≥ 1 and -duration > 0")
	case o.mode == "sched" && o.redisURL != "":
		return o, fmt.Errorf("-mode sched starts its own redis-server: it counts every command the server processes")
	}
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o, err := parseFlags(args, stderr)
	if err != nil {
		return err
	}
	switch o.mode {
	case "sched":
		return runSched(ctx, o, stdout)
	case "sim":
		return runSim(ctx, o, stdout)
	case "fetch":
		return runFetchMode(ctx, o, stdout)
	}
	h, err := newHarness(ctx, o)
	if err != nil {
		return err
	}
	defer h.close()
	fmt.Fprintf(stdout, "tributary-loadgen: %d feeds, concurrency %d, GOMAXPROCS %d, redis %s\n\n",
		o.n, o.concurrency, gomaxprocs(), h.redisDesc)
	printHeader(stdout)
	for _, rd := range rounds(o) {
		res, err := h.round(ctx, rd)
		if err != nil {
			return err
		}
		printRound(stdout, res)
	}
	fmt.Fprintf(stdout, "\npeak RSS over the whole run: %.1f MB (target ≤ %d MB with external Redis)\n",
		float64(peakRSSBytes())/(1<<20), targetRSSMB)
	return nil
}
