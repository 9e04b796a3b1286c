package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Sizes of the big-list harness: the page the red team polled.
const (
	bigListSources = 8
	bigListItems   = 230_000
	// bigListPeak is what the daemon may reach polling them all at once.
	bigListPeak = 600 << 20
)

// bigListPage is a 10 MB list page of n items.
func bigListPage(n int) []byte {
	var b strings.Builder
	b.WriteString("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>通知公告</title></head><body><ul class=\"list\">\n")
	for i := range n {
		fmt.Fprintf(&b, "<li><a href=\"/n/%07d\">i %d</a></li>\n", i, i)
	}
	b.WriteString("</ul></body></html>")
	return []byte(b.String())
}

// TestBinary_BigListPages is a harness, not a test of CI: with
// TRIBUTARY_BIG_LISTS=1 it runs the daemon (TRIBUTARY_BIN, else built from
// this tree) on eight list sources of 10 MB (230,000 <li>) polled at once,
// and reports its peak resident memory (VmHWM) and the slowest /healthz
// answer meanwhile. TRIBUTARY_BIG_LISTS_FETCH adds keys to the config's
// fetch: block ("max_html_bytes: 16777216" lets the pages through the
// byte limit, so that the element bound and the parse slots are what
// bound the memory). It fails when the peak is over 600 MB.
//
//	TRIBUTARY_BIG_LISTS=1 go test -run TestBinary_BigListPages -v ./cmd/tributary
func TestBinary_BigListPages(t *testing.T) {
	if os.Getenv("TRIBUTARY_BIG_LISTS") == "" {
		t.Skip("a measurement: set TRIBUTARY_BIG_LISTS=1 to run it")
	}
	bin := os.Getenv("TRIBUTARY_BIN")
	if bin == "" {
		bin = buildBinary(t)
	}
	page := bigListPage(bigListItems)
	t.Logf("page: %d bytes, %d items", len(page), bigListItems)
	var sources strings.Builder
	for range bigListSources {
		srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			_, _ = w.Write(page)
		}))
		t.Cleanup(srv.Close)
		fmt.Fprintf(&sources, "      - url: %s/list.htm\n        scrape: {items: \"ul.list > li\"}\n", srv.URL)
	}
	dir := t.TempDir()
	cfgPath := filepath.Join(dir, "tributary.yaml")
	cfg := fmt.Sprintf("listen: 127.0.0.1:0\nfetch:\n  concurrency: %d\n  %s\ndefaults:\n  schedule: \"@every 1h\"\nsections:\n  - id: news\n    sources:\n%s",
		bigListSources, os.Getenv("TRIBUTARY_BIG_LISTS_FETCH"), sources.String())
	if err := os.WriteFile(cfgPath, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	cmd, addr, logs := startBinary(t, bin, cfgPath)
	slowest := time.Duration(0)
	waitForWithin(t, 10*time.Minute, func() bool {
		t0 := time.Now()
		resp, err := http.Get("http://" + addr + "/healthz")
		if err != nil {
			t.Fatalf("/healthz: %v", err)
		}
		_ = resp.Body.Close()
		slowest = max(slowest, time.Since(t0))
		return allPolled(t, addr)
	})
	peak := vmHWM(t, cmd.Process.Pid)
	t.Logf("all %d sources polled in %v; peak RSS %d MB; slowest /healthz %v", bigListSources,
		time.Since(start).Round(time.Millisecond), peak>>20, slowest.Round(time.Millisecond))
	for _, s := range statuses(t, addr) {
		t.Logf("%s: state %s, last error %q", s.ConfiguredURL, s.State, s.LastError)
	}
	if peak > bigListPeak {
		t.Errorf("peak RSS %d MB, want under %d MB\n%s", peak>>20, bigListPeak>>20, logs.String())
	}
}

func statuses(t *testing.T, addr string) []siteStatus {
	t.Helper()
	resp, err := http.Get("http://" + addr + "/api/v1/sources")
	if err != nil {
		t.Fatalf("/api/v1/sources: %v", err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Sources []siteStatus `json:"sources"`
	}
	if err := json.Unmarshal(body, &out); err != nil {
		t.Fatalf("/api/v1/sources: %v", err)
	}
	return out.Sources
}

// allPolled reports whether every source of the daemon has been polled.
func allPolled(t *testing.T, addr string) bool {
	ss := statuses(t, addr)
	for _, s := range ss {
		if s.State == "pending" {
			return false
		}
	}
	return len(ss) == bigListSources
}

// vmHWM is the peak resident set of process pid, in bytes.
func vmHWM(t *testing.T, pid int) int64 {
	t.Helper()
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmHWM:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return kb << 10
		}
	}
	t.Fatal("no VmHWM")
	return 0
}
