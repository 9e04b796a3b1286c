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
	os.Exit(m.Run())
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
	}
	for _, tt := range tests {
		_, err := parseFlags(tt.args, &bytes.Buffer{})
		if (err != nil) != tt.wantErr {
			t.Errorf("parseFlags(%v) err = %v, want error %v", tt.args, err, tt.wantErr)
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
