package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"os"
	"runtime"
	"runtime/pprof"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/fetch"
	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/normalize"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/scheduler/plan"
	"github.com/tributary-rss/tributary/aggregator/store"
)

// Targets for a 2-core machine at N = 1000.
const (
	targetFirst     = 200
	targetUnchanged = 2000
	targetNotMod    = 2000
	targetRSSMB     = 100
	sectionCount    = 10
)

// roundSpec is one pass over every feed.
type roundSpec struct {
	name       string
	validators bool
	change     float64
	target     float64 // feeds/s; 0: none
	profile    string
}

func rounds(o options) []roundSpec {
	rs := []roundSpec{
		{name: "first pass (all new)", validators: true, target: targetFirst},
		{name: "unchanged, no validators", validators: false, target: targetUnchanged},
		{name: "unchanged, 304", validators: true, target: targetNotMod},
	}
	if o.change > 0 {
		rs = append(rs, roundSpec{name: fmt.Sprintf("%.0f%% changed", o.change*100), validators: true, change: o.change})
	}
	if o.cpuProfile != "" {
		for i := range rs {
			rs[i].profile = fmt.Sprintf("%s.round%d", o.cpuProfile, i+1)
		}
	}
	return rs
}

// harness owns the feed server, Redis and the pipeline under test.
type harness struct {
	o         options
	feeds     *feedChild
	redis     *redisChild
	client    *redis.Client
	poller    *poll.Poller
	sources   []model.Source
	plan      plan.Plan
	redisDesc string
	count     int
}

func newHarness(ctx context.Context, o options) (*harness, error) {
	h := &harness{o: o}
	var err error
	if h.feeds, err = startFeedChild(ctx, o.n); err != nil {
		return nil, err
	}
	prefix := "trib:"
	if o.redisURL == "" {
		if h.redis, err = startRedis(ctx); err != nil {
			h.close()
			return nil, err
		}
		h.client = redis.NewClient(&redis.Options{Addr: h.redis.addr, PoolSize: o.concurrency * 2})
		h.redisDesc = "redis-server on " + h.redis.addr + " (started here)"
	} else {
		opt, err := redis.ParseURL(o.redisURL)
		if err != nil {
			h.close()
			return nil, fmt.Errorf("--redis: %w", err)
		}
		opt.PoolSize = o.concurrency * 2
		h.client = redis.NewClient(opt)
		prefix = "loadgen:" + randomHex() + ":"
		h.redisDesc = o.redisURL + " (prefix " + prefix + ")"
	}
	h.build(prefix)
	return h, nil
}

func (h *harness) build(prefix string) {
	logger := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	st := store.New(h.client, prefix, logger)
	sections := make([]model.Section, sectionCount)
	for i := range sections {
		sections[i] = model.Section{ID: "s" + strconv.Itoa(i), Title: "Section " + strconv.Itoa(i), Language: "zh-CN", MaxItems: 200}
	}
	for i := range h.o.n {
		url := fmt.Sprintf("http://%s/feed/%d", h.feeds.addr, i)
		sec := &sections[i%sectionCount]
		src := model.Source{ID: model.SourceID(url), URL: url, Schedule: "@every 15m", Location: time.UTC, SectionIDs: []string{sec.ID}}
		sec.SourceIDs = append(sec.SourceIDs, src.ID)
		h.sources = append(h.sources, src)
	}
	// Every synthetic feed lives on one loopback host; the per-host cap
	// exists for politeness towards real sites, so here it matches the
	// global cap instead of serializing the whole run.
	f := fetch.New(fetch.Options{PerHost: h.o.concurrency, Version: "loadgen"})
	h.poller = poll.New(st, f, normalize.New(normalize.Options{}), sections, logger)
	h.plan = plan.Plan{Schedule: config.PhasedEvery{Interval: 15 * time.Minute}}
}

// roundResult is what one round measured.
type roundResult struct {
	spec                     roundSpec
	feeds, errors            int
	newEntries, notMod, same int
	changed                  int
	wall                     time.Duration
	cpu, redisCPU, feedsCPU  float64
	redisCmds                int64
	peakRSS                  int64
	p50, p99                 time.Duration
	firstErr                 error
}

func (h *harness) round(ctx context.Context, rd roundSpec) (roundResult, error) {
	h.count++
	changed, err := h.feeds.control(rd.validators, rd.change, h.count)
	if err != nil {
		return roundResult{}, fmt.Errorf("feed server control: %w", err)
	}
	runtime.GC()
	res := roundResult{spec: rd, changed: changed}
	stopProfile, err := startProfile(rd.profile)
	if err != nil {
		return res, err
	}
	redisCPU, feedsCPU := h.redisCPU(), procCPUSeconds(h.feeds.cmd.Process.Pid)
	cmds := h.redisCommands(ctx)
	cpu := cpuSeconds()
	rss := startRSSSampler(5 * time.Millisecond)
	start := time.Now()
	durations := h.pollAll(ctx, &res)
	res.wall = time.Since(start)
	res.peakRSS = rss.Stop()
	res.cpu = cpuSeconds() - cpu
	res.redisCPU = h.redisCPU() - redisCPU
	res.redisCmds = h.redisCommands(ctx) - cmds - 1 // the INFO itself
	res.feedsCPU = procCPUSeconds(h.feeds.cmd.Process.Pid) - feedsCPU
	stopProfile()
	sorted := sortedCopy(durations)
	res.p50, res.p99 = percentile(sorted, 0.50), percentile(sorted, 0.99)
	return res, ctx.Err()
}

// pollAll polls every source once with o.concurrency workers.
func (h *harness) pollAll(ctx context.Context, res *roundResult) []time.Duration {
	jobs := make(chan model.Source)
	var mu sync.Mutex
	durations := make([]time.Duration, 0, len(h.sources))
	var wg sync.WaitGroup
	for range h.o.concurrency {
		wg.Go(func() {
			for src := range jobs {
				r := h.poller.Poll(ctx, src, h.plan)
				mu.Lock()
				durations = append(durations, r.Duration)
				res.add(r)
				mu.Unlock()
			}
		})
	}
	for _, src := range h.sources {
		if ctx.Err() != nil {
			break
		}
		jobs <- src
	}
	close(jobs)
	wg.Wait()
	return durations
}

func (r *roundResult) add(p poll.Result) {
	r.feeds++
	switch {
	case p.Err != nil:
		r.errors++
		if r.firstErr == nil {
			r.firstErr = p.Err
		}
	case p.NotModified:
		r.notMod++
	case p.SameBody:
		r.same++
	}
	r.newEntries += p.New
}

// redisCommands is the server's total_commands_processed (INFO stats).
func (h *harness) redisCommands(ctx context.Context) int64 {
	return redisCommands(ctx, h.client)
}

func (h *harness) redisCPU() float64 {
	if h.redis == nil {
		return 0
	}
	return h.redis.cpuSeconds()
}

func (h *harness) close() {
	if h.client != nil {
		_ = h.client.Close()
	}
	if h.redis != nil {
		h.redis.stop()
	}
	if h.feeds != nil {
		h.feeds.stop()
	}
}

func startProfile(path string) (func(), error) {
	if path == "" {
		return func() {}, nil
	}
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() { pprof.StopCPUProfile(); f.Close() }, nil
}

func randomHex() string {
	var b [6]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

func gomaxprocs() int { return runtime.GOMAXPROCS(0) }

// peakRSSBytes is the process's lifetime peak RSS (getrusage ru_maxrss).
func peakRSSBytes() int64 {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return ru.Maxrss << 10 // kilobytes on Linux
}

func printHeader(w io.Writer) {
	fmt.Fprintf(w, "%-26s %6s %6s %9s %9s %8s %7s %7s %7s %8s %9s %9s %8s %8s %6s %6s %6s\n",
		"round", "feeds", "errors", "seconds", "feeds/s", "target", "cpu_s", "redis_s", "srv_s", "cmd/poll", "peak_MB", "rss_tgt", "p50_ms", "p99_ms",
		"new", "304", "same")
}

func printRound(w io.Writer, r roundResult) {
	target := "-"
	if r.spec.target > 0 {
		target = fmt.Sprintf("≥%.0f", r.spec.target)
	}
	rate := float64(r.feeds) / r.wall.Seconds()
	fmt.Fprintf(w, "%-26s %6d %6d %9.2f %9.0f %8s %7.2f %7.2f %7.2f %8.1f %9.1f %9s %8.2f %8.2f %6d %6d %6d\n",
		r.spec.name, r.feeds, r.errors, r.wall.Seconds(), rate, target, r.cpu, r.redisCPU, r.feedsCPU, float64(r.redisCmds)/float64(max(r.feeds, 1)),
		float64(r.peakRSS)/(1<<20), fmt.Sprintf("≤%d", targetRSSMB), ms(r.p50), ms(r.p99), r.newEntries, r.notMod, r.same)
	if r.firstErr != nil {
		fmt.Fprintf(w, "  first error: %v\n", r.firstErr)
	}
	if r.spec.target > 0 && rate < r.spec.target {
		fmt.Fprintf(w, "  MISSED: %.0f feeds/s is under the %.0f target\n", rate, r.spec.target)
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
