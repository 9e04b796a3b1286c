package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/store/storetest"
	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// Soak sizes of the CI version; scripts/soak.sh runs the long one.
const (
	soakSources  = 1000
	soakSections = 10
	soakClients  = 100
	soakDuration = 37 * time.Second
	// soakWarmup spans a whole poll round (every 10 s), so the memory a
	// round uses is in the RSS the end is compared with: a 5 s warm-up
	// without a round let one poll round inside the window read as
	// growth (+10.8% once).
	soakWarmup = 12 * time.Second
)

// soakResult counts what the load clients saw.
type soakResult struct {
	requests, bad, errors atomic.Int64
	mu                    sync.Mutex
	samples               []string // first few bad answers or errors
}

func (r *soakResult) fail(counter *atomic.Int64, what string) {
	if counter.Add(1) <= 5 {
		r.mu.Lock()
		r.samples = append(r.samples, what)
		r.mu.Unlock()
	}
}

// The 30-second soak: the binary polls 1,000 loopback sources (every 10 s
// here, so several rounds fall in the window) while 100 keep-alive
// clients request section feeds in every format, some conditionally.
// Every answer must be a 200 or 304, no request may fail, and the
// daemon's RSS at the end must be within 10% of its RSS after warm-up.
func TestBinary_Soak(t *testing.T) {
	if testing.Short() {
		t.Skip("soak takes 30s; skipped with -short")
	}
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc: cannot read the daemon's RSS")
	}
	bin := buildBinary(t)
	var fetched sync.Map
	var distinct atomic.Int64
	src := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, loaded := fetched.LoadOrStore(r.URL.Path, true); !loaded {
			distinct.Add(1)
		}
		w.Header().Set("Content-Type", "application/rss+xml")
		_, _ = io.WriteString(w, soakFeed(r.URL.Path))
	}))
	t.Cleanup(src.Close)
	cmd, addr, logs := startBinary(t, bin, writeSoakConfig(t, t.TempDir(), "redis://"+storetest.StartRedis(t)+"/0", src.URL, "@every 10s"))
	base := "http://" + addr
	waitForWithin(t, 180*time.Second, func() bool { return distinct.Load() == soakSources })
	waitForWithin(t, 180*time.Second, func() bool { return allSectionsServed(addr) })

	var res soakResult
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for c := range soakClients {
		wg.Go(func() { soakClient(base, c, stop, &res) })
	}
	<-time.After(soakWarmup) // the measured window is what is tested
	rssStart, n0, t0 := rssKiB(t, cmd.Process.Pid), res.requests.Load(), time.Now()
	<-time.After(soakDuration - soakWarmup)
	rssEnd, n1, elapsed := rssKiB(t, cmd.Process.Pid), res.requests.Load(), time.Since(t0)
	close(stop)
	wg.Wait()
	t.Logf("%d requests in %v (%.0f/s), %d not 200/304, %d errors; RSS %d KiB after warm-up, %d KiB at the end (%+.1f%%)",
		n1-n0, elapsed.Round(time.Millisecond), float64(n1-n0)/elapsed.Seconds(), res.bad.Load(), res.errors.Load(),
		rssStart, rssEnd, 100*float64(rssEnd-rssStart)/float64(rssStart))
	if res.bad.Load() > 0 || res.errors.Load() > 0 {
		t.Errorf("%d answers not 200/304 and %d errors, e.g. %v", res.bad.Load(), res.errors.Load(), res.samples)
	}
	if float64(rssEnd) > 1.10*float64(rssStart) {
		t.Errorf("RSS grew from %d to %d KiB (more than 10%%)", rssStart, rssEnd)
	}
	if strings.Contains(logs.String(), "level=ERROR") {
		t.Errorf("daemon logged errors:\n%s", logs.String())
	}
}

// soakClient requests section feeds in turn until stop, every third one
// conditionally on the ETag it last saw for that URL.
func soakClient(base string, c int, stop <-chan struct{}, res *soakResult) {
	client := &http.Client{Timeout: 10 * time.Second}
	etags := map[string]string{}
	formats := []string{"rss", "atom", "json"}
	for i := c; ; i++ {
		select {
		case <-stop:
			return
		default:
		}
		url := fmt.Sprintf("%s/sections/s%d.%s", base, i%soakSections, formats[i%len(formats)])
		req, _ := http.NewRequest(http.MethodGet, url, nil)
		if i%3 == 0 && etags[url] != "" {
			req.Header.Set("If-None-Match", etags[url])
		}
		resp, err := client.Do(req)
		if err == nil {
			_, err = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
		}
		res.requests.Add(1)
		switch {
		case err != nil:
			res.fail(&res.errors, err.Error())
		case resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusNotModified:
			res.fail(&res.bad, url+": "+resp.Status)
		default:
			etags[url] = resp.Header.Get("ETag")
		}
	}
}

// allSectionsServed reports whether every soak section serves items.
func allSectionsServed(addr string) bool {
	for s := range soakSections {
		if titles, err := fetchTitles(addr, fmt.Sprintf("s%d", s)); err != nil || len(titles) == 0 {
			return false
		}
	}
	return true
}

// rssKiB reads a process's resident set size from /proc.
func rssKiB(t *testing.T, pid int) int64 {
	t.Helper()
	data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		t.Fatal(err)
	}
	for line := range strings.SplitSeq(string(data), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			n, err := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatal("no VmRSS in /proc status")
	return 0
}

// soakFeed is a 20-item RSS feed, the same for a path on every request.
func soakFeed(path string) string {
	var b strings.Builder
	fmt.Fprintf(&b, `<?xml version="1.0"?><rss version="2.0"><channel><title>feed %s</title><link>http://soak.example%s</link>`, path, path)
	for i := range 20 {
		fmt.Fprintf(&b, "<item><title>feed %s item %d</title><link>http://soak.example%s/%d</link><guid>%s-%d</guid>"+
			"<pubDate>Mon, 23 Nov 2026 %02d:00:00 +0000</pubDate><description>%s</description></item>",
			path, i, path, i, path, i, i, strings.Repeat("校园新闻 campus news ", 20))
	}
	b.WriteString("</channel></rss>")
	return b.String()
}

// writeSoakConfig spreads soakSources sources over soakSections sections.
// The store is a real Redis: the embedded one ingests a few polls a second
// (its Lua scripts run interpreted), short of 1,000 sources a minute.
func writeSoakConfig(t *testing.T, dir, redisURL, base, schedule string) string {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "listen: 127.0.0.1:0\nredis:\n  url: %q\nstorage:\n  snapshot: %s\nfetch:\n  concurrency: 32\n  per_host: 32\n"+
		"defaults:\n  schedule: %q\nsections:\n", redisURL, filepath.Join(dir, "soak.snapshot"), schedule)
	for s := range soakSections {
		fmt.Fprintf(&b, "  - id: s%d\n    sources:\n", s)
		for i := s; i < soakSources; i += soakSections {
			fmt.Fprintf(&b, "      - url: %s/feed/%d\n", base, i)
		}
	}
	path := filepath.Join(dir, "soak.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// waitForWithin waits for cond for d (see testkit.WaitFor).
func waitForWithin(t *testing.T, d time.Duration, cond func() bool) {
	t.Helper()
	testkit.WaitFor(t, d, "condition not met", cond)
}
