package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
)

// TestMain lets the test binary act as the feed server child, which the
// harness starts by re-executing itself with "serve".
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && os.Args[1] == "serve" {
		if err := serveMain(os.Args[2:]); err != nil {
			os.Exit(1)
		}
		os.Exit(0)
	}
	if len(os.Args) > 1 && os.Args[1] == "sim-instance" {
		if err := simInstanceMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if len(os.Args) > 1 && os.Args[1] == "sched-instance" {
		if err := schedInstanceMain(os.Args[2:]); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if len(os.Args) > 1 && os.Args[1] == "fetch" && os.Getenv("LOADGEN_FAKE_TRIBUTARY") != "" {
		os.Exit(fakeFetch(os.Args[2:]))
	}
	os.Exit(m.Run())
}

// fakeFetch stands in for tributary fetch in TestRun_fetch: it loads the
// config the harness wrote as tributary would (so the config must be
// valid) and prints the totals of a first pass, then of a 304 pass.
func fakeFetch(args []string) int {
	if len(args) != 2 || args[0] != "--config" {
		fmt.Fprintln(os.Stderr, "usage: fetch --config FILE")
		return 2
	}
	cfg, err := config.Load(args[1], func(string) string { return "" })
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	n := len(cfg.Sources())
	if _, err := os.Stat(args[1] + ".polled"); err != nil {
		_ = os.WriteFile(args[1]+".polled", nil, 0o600)
		fmt.Printf("ok ...\n%d sources: %d ok, 0 not modified, 0 failed, 0 skipped\n", n, n)
		return 0
	}
	fmt.Printf("not modified ...\n%d sources: 0 ok, %d not modified, 0 failed, 0 skipped\n", n, n)
	return 0
}

// A small run goes through every round without errors and reports what
// each round should see.
func TestRun_small(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-n", "40", "-concurrency", "4", "-change", "0.5"}, &out, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	tests := []struct {
		round string
		want  *regexp.Regexp // errors … new 304 same, at the end of the line
	}{
		{"first pass (all new)", regexp.MustCompile(`^\s+40\s+0 .* 800\s+0\s+0$`)},
		{"unchanged, no validators", regexp.MustCompile(`^\s+40\s+0 .* 0\s+0\s+40$`)},
		{"unchanged, 304", regexp.MustCompile(`^\s+40\s+0 .* 0\s+40\s+0$`)},
	}
	for _, tt := range tests {
		line := lineAfter(out.String(), tt.round)
		if !tt.want.MatchString(line) {
			t.Errorf("%s: %q does not match %s\n%s", tt.round, line, tt.want, out.String())
		}
	}
	if !strings.Contains(out.String(), "50% changed") {
		t.Errorf("no changed round:\n%s", out.String())
	}
}

func lineAfter(out, prefix string) string {
	for _, l := range strings.Split(out, "\n") {
		if rest, ok := strings.CutPrefix(l, prefix); ok {
			return rest
		}
	}
	return ""
}

func TestParseFlags(t *testing.T) {
	tests := []struct {
		args    []string
		wantErr bool
	}{
		{nil, false},
		{[]string{"-n", "0"}, true},
		{[]string{"-change", "1.5"}, true},
		{[]string{"-concurrency", "0"}, true},
		{[]string{"-bogus"}, true},
		{[]string{"-mode", "sched", "-n", "100000", "-every", "5m", "-instances", "2"}, false},
		{[]string{"-mode", "sched", "-every", "500ms"}, true},
		{[]string{"-mode", "sched", "-instances", "0"}, true},
		{[]string{"-mode", "other"}, true},
		{[]string{"-mode", "sim", "-instances", "10", "-sizes", "100000,1000000"}, false},
		{[]string{"-mode", "sim", "-instances", "1"}, true},
		{[]string{"-mode", "sim", "-instances", "3", "-sizes", "1e6"}, true},
		{[]string{"-mode", "sim", "-instances", "3", "-shards", "300"}, true},
		{[]string{"-mode", "fetch", "-bin", "/tmp/tributary"}, false},
		{[]string{"-mode", "fetch"}, true},
		{[]string{"-mode", "fetch", "-bin", "/tmp/tributary", "-runs", "0"}, true},
	}
	for _, tt := range tests {
		_, err := parseFlags(tt.args, &bytes.Buffer{})
		if (err != nil) != tt.wantErr {
			t.Errorf("parseFlags(%v) err = %v, want error %v", tt.args, err, tt.wantErr)
		}
	}
}

// -mode fetch writes a config tributary loads, runs the binary and its
// reference alternately, checks their totals and prints both side by
// side. (The test binary stands in for tributary: see fakeFetch.)
func TestRun_fetch(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	t.Setenv("LOADGEN_FAKE_TRIBUTARY", "1")
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	args := []string{"-mode", "fetch", "-n", "450", "-bin", self, "-ref", self, "-runs", "2"}
	if err := run(context.Background(), args, &out, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`(?m)^reference\s+first pass \(all new\)(\s+[\d.]+){6}$`),
		regexp.MustCompile(`(?m)^measured\s+first pass \(all new\)(\s+[\d.]+){6}$`),
		regexp.MustCompile(`(?m)^reference\s+304, median of 2(\s+[\d.]+){6}$`),
		regexp.MustCompile(`(?m)^measured\s+304, median of 2(\s+[\d.]+){6}$`),
		regexp.MustCompile(`(?m)^measured 304 runs \(wall s\): [\d.]+ [\d.]+$`),
	} {
		if !want.MatchString(out.String()) {
			t.Errorf("no line matching %s:\n%s", want, out.String())
		}
	}
}

// A small scheduler run with two instances polls every source, splits the
// steady-state polls between the instances and prints every figure.
func TestRun_sched(t *testing.T) {
	if _, err := exec.LookPath("redis-server"); err != nil {
		t.Skip("redis-server not installed")
	}
	var out bytes.Buffer
	args := []string{"-mode", "sched", "-n", "200", "-every", "2s", "-instances", "2", "-duration", "3s", "-concurrency", "4"}
	if err := run(context.Background(), args, &out, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{"start → first fetch:", "polls/s:", "scheduler CPU:", "redis commands per poll:", "peak_MB"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("no %q in the output:\n%s", want, out.String())
		}
	}
	for _, id := range []string{"1", "2"} {
		re := regexp.MustCompile(`(?m)^` + id + `\s+(\d+)\s+[\d.]+%.*\s0$`)
		m := re.FindStringSubmatch(out.String())
		if m == nil || m[1] == "0" {
			t.Errorf("instance %s: no polls without errors in the steady state:\n%s", id, out.String())
		}
	}
}
