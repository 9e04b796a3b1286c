package main

import (
	"bytes"
	"context"
	"os/exec"
	"regexp"
	"testing"
	"time"
)

// A small simulation on a real Redis Cluster: three instances over 2,000
// sources in four shards poll at the due rate, no source is polled under
// another's claim, and the killed instance's claims are polled by the
// others within one lease of the kill.
func TestRun_sim(t *testing.T) {
	for _, bin := range []string{"redis-server", "redis-cli"} {
		if _, err := exec.LookPath(bin); err != nil {
			t.Skipf("%s not installed", bin)
		}
	}
	var out bytes.Buffer
	args := []string{"-mode", "sim", "-sizes", "2000", "-instances", "3", "-rate", "400", "-lease", "2s", "-shards", "4",
		"-duration", "3s", "-warmup", "2s"}
	if err := run(context.Background(), args, &out, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^overlapping claims \(double polls\)\s+0$`),
		regexp.MustCompile(`(?m)^polls/s, all instances \(due\)\s+\d+ \(400\)$`),
		regexp.MustCompile(`(?m)^Redis node 3 CPU`),
		regexp.MustCompile(`(?m)^  all polled by others after the kill \(s\)\s+[01]\.\d\d$`),
	} {
		if !want.MatchString(out.String()) {
			t.Errorf("output lacks %s:\n%s", want, out.String())
		}
	}
}

func TestSimWarmup(t *testing.T) {
	for _, tt := range []struct {
		warmup time.Duration
		n      int
		want   time.Duration
	}{
		{0, 2000, 10 * time.Second},
		{0, 100000, 20 * time.Second},
		{0, 1000000, 200 * time.Second},
		{5 * time.Second, 1000000, 5 * time.Second},
	} {
		if got := simWarmup(tt.warmup, tt.n); got != tt.want {
			t.Errorf("simWarmup(%v, %d) = %v, want %v", tt.warmup, tt.n, got, tt.want)
		}
	}
}
