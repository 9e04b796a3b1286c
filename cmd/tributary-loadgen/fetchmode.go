package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

// fetchRun is one run of tributary fetch, as the operating system saw it.
type fetchRun struct {
	wall, cpu         time.Duration
	peakKB            int64
	redisCPU, feedCPU float64
	last              string // the run's totals line
}

// fetchBinary is one binary under test with its own key prefix, so that
// a reference binary and the one measured keep their own source state.
type fetchBinary struct {
	name, path, config string
	first              fetchRun
	unchanged          []fetchRun
}

// runFetchMode measures the tributary fetch command itself, process start
// included: -n sources on the synthetic feed server, one first pass (all
// new), then -runs passes where every source answers 304, alternating
// with -ref when given so both binaries see the same machine.
func runFetchMode(ctx context.Context, o options, stdout io.Writer) error {
	rc, err := startRedis(ctx)
	if err != nil {
		return err
	}
	defer rc.stop()
	feeds, err := startFeedChild(ctx, o.n)
	if err != nil {
		return err
	}
	defer feeds.stop()
	dir, err := os.MkdirTemp("", "loadgen-fetch-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	var bins []*fetchBinary
	if o.refBin != "" {
		bins = append(bins, &fetchBinary{name: "reference", path: o.refBin})
	}
	bins = append(bins, &fetchBinary{name: "measured", path: o.bin})
	for i, b := range bins {
		b.config = filepath.Join(dir, fmt.Sprintf("fetch%d.yaml", i))
		cfg := fetchConfig("redis://"+rc.addr+"/0", fmt.Sprintf("lg%d:", i), feeds.addr, o.n, o.concurrency)
		if err := os.WriteFile(b.config, cfg, 0o600); err != nil {
			return err
		}
	}
	fmt.Fprintf(stdout, "tributary-loadgen -mode fetch: %d sources, fetch.concurrency %d, GOMAXPROCS %d, redis-server on %s\n\n",
		o.n, o.concurrency, gomaxprocs(), rc.addr)
	for _, b := range bins {
		if b.first, err = fetchOnceRun(ctx, b, rc, feeds, o.n, false); err != nil {
			return err
		}
	}
	for range o.runs {
		for _, b := range bins {
			r, err := fetchOnceRun(ctx, b, rc, feeds, o.n, true)
			if err != nil {
				return err
			}
			b.unchanged = append(b.unchanged, r)
		}
	}
	printFetch(stdout, o, bins)
	return nil
}

// fetchConfig is a config of n sources on the feed server at addr.
func fetchConfig(redisURL, prefix, addr string, n, concurrency int) []byte {
	var b bytes.Buffer
	fmt.Fprintf(&b, "redis:\n  url: %s\n  prefix: %q\nfetch:\n  concurrency: %d\n  per_host: %d\nsections:\n", redisURL, prefix, concurrency, concurrency)
	const perSection = 200
	for s := 0; s*perSection < n; s++ {
		fmt.Fprintf(&b, "  - id: s%d\n    title: Section %d\n    sources:\n", s, s)
		for i := s * perSection; i < min((s+1)*perSection, n); i++ {
			fmt.Fprintf(&b, "      - url: http://%s/feed/%d\n", addr, i)
		}
	}
	return b.Bytes()
}

// fetchOnceRun runs tributary fetch once and checks its totals: every
// source new (ok), or every source not modified.
func fetchOnceRun(ctx context.Context, b *fetchBinary, rc *redisChild, feeds *feedChild, n int, unchanged bool) (fetchRun, error) {
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, b.path, "fetch", "--config", b.config)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	redis0, feed0 := rc.cpuSeconds(), procCPUSeconds(feeds.cmd.Process.Pid)
	start := time.Now()
	err := cmd.Run()
	r := fetchRun{wall: time.Since(start)}
	r.redisCPU, r.feedCPU = rc.cpuSeconds()-redis0, procCPUSeconds(feeds.cmd.Process.Pid)-feed0
	if err != nil {
		return r, fmt.Errorf("%s fetch: %w\n%s%s", b.name, err, tail(out.String()), errOut.String())
	}
	r.cpu = cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		r.peakKB = ru.Maxrss
	}
	r.last = tail(out.String())
	want := fmt.Sprintf("%d sources: %d ok, 0 not modified, 0 failed, 0 skipped", n, n)
	if unchanged {
		want = fmt.Sprintf("%d sources: 0 ok, %d not modified, 0 failed, 0 skipped", n, n)
	}
	if r.last != want {
		return r, fmt.Errorf("%s fetch: totals %q, want %q", b.name, r.last, want)
	}
	return r, nil
}

// tail is the last line of s.
func tail(s string) string {
	s = strings.TrimRight(s, "\n")
	return s[strings.LastIndexByte(s, '\n')+1:]
}

func printFetch(w io.Writer, o options, bins []*fetchBinary) {
	fmt.Fprintf(w, "%-10s %-22s %8s %9s %8s %8s %8s %8s\n", "binary", "round", "wall_s", "feeds/s", "cpu_s", "peak_MB", "redis_s", "srv_s")
	row := func(name, round string, r fetchRun) {
		fmt.Fprintf(w, "%-10s %-22s %8.2f %9.0f %8.2f %8.1f %8.2f %8.2f\n", name, round, r.wall.Seconds(),
			float64(o.n)/r.wall.Seconds(), r.cpu.Seconds(), float64(r.peakKB)/1024, r.redisCPU, r.feedCPU)
	}
	for _, b := range bins {
		row(b.name, "first pass (all new)", b.first)
	}
	for _, b := range bins {
		row(b.name, fmt.Sprintf("304, median of %d", len(b.unchanged)), medianRun(b.unchanged))
	}
	fmt.Fprintf(w, "\nwall time from exec to exit, process start included; targets for the 304 round: ≥ 10,000 feeds/s, peak RSS ≤ 60 MB\n")
	for _, b := range bins {
		fmt.Fprintf(w, "%s 304 runs (wall s):", b.name)
		for _, r := range b.unchanged {
			fmt.Fprintf(w, " %.2f", r.wall.Seconds())
		}
		fmt.Fprintln(w)
	}
}

// medianRun is the run of median wall time.
func medianRun(runs []fetchRun) fetchRun {
	s := slices.Clone(runs)
	slices.SortFunc(s, func(a, b fetchRun) int { return int(a.wall - b.wall) })
	return s[len(s)/2]
}
