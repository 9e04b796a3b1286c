package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/poll"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
	"github.com/tributary-rss/tributary/aggregator/testkit"
)

// fixtureSource is a local feed server: it serves a fixture with an ETag,
// answers If-None-Match with 304, and records what it was asked.
type fixtureSource struct {
	t           *testing.T
	srv         *httptest.Server
	contentType string
	mu          sync.Mutex
	body        []byte
	down        bool
	requests    atomic.Int64
	conditional atomic.Int64 // requests that carried If-None-Match
	notModified atomic.Int64
}

func newFixtureSource(t *testing.T, file, contentType string, replace map[string]string) *fixtureSource {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("testdata", file))
	if err != nil {
		t.Fatal(err)
	}
	fs := &fixtureSource{t: t, contentType: contentType}
	fs.setBody(raw, replace)
	fs.srv = httptest.NewServer(http.HandlerFunc(fs.serve))
	t.Cleanup(fs.srv.Close)
	return fs
}

func (fs *fixtureSource) setBody(raw []byte, replace map[string]string) {
	for k, v := range replace {
		raw = bytes.ReplaceAll(raw, []byte(k), []byte(v))
	}
	fs.mu.Lock()
	fs.body = raw
	fs.mu.Unlock()
}

func (fs *fixtureSource) setDown(down bool) {
	fs.mu.Lock()
	fs.down = down
	fs.mu.Unlock()
}

func (fs *fixtureSource) serve(w http.ResponseWriter, r *http.Request) {
	fs.requests.Add(1)
	fs.mu.Lock()
	body, down := fs.body, fs.down
	fs.mu.Unlock()
	if down {
		http.Error(w, "down for the test", http.StatusInternalServerError)
		return
	}
	sum := sha256.Sum256(body)
	etag := `"` + hex.EncodeToString(sum[:8]) + `"`
	if inm := r.Header.Get("If-None-Match"); inm != "" {
		fs.conditional.Add(1)
		if inm == etag {
			fs.notModified.Add(1)
			w.WriteHeader(http.StatusNotModified)
			return
		}
	}
	w.Header().Set("ETag", etag)
	w.Header().Set("Content-Type", fs.contentType)
	w.Write(body)
}

// daemon is one run of runDaemon in the background.
type daemon struct {
	base  string
	polls chan poll.Result
	stop  context.CancelFunc
	done  chan error
}

func startDaemon(t *testing.T, cfg *config.Config) *daemon {
	t.Helper()
	return startDaemonHooks(t, cfg, daemonHooks{})
}

// startDaemonHooks is startDaemon with test hooks; onListen and onPoll are
// set here.
func startDaemonHooks(t *testing.T, cfg *config.Config, hooks daemonHooks) *daemon {
	t.Helper()
	return startDaemonLogging(t, cfg, hooks, io.Discard)
}

// startDaemonLogging is startDaemonHooks logging to logs, as text.
func startDaemonLogging(t *testing.T, cfg *config.Config, hooks daemonHooks, logs io.Writer) *daemon {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	d := &daemon{polls: make(chan poll.Result, 64), stop: cancel, done: make(chan error, 1)}
	listening := make(chan net.Addr, 1)
	hooks.onListen = func(a net.Addr) { listening <- a }
	hooks.onPoll = func(r poll.Result) { d.polls <- r }
	logger := slog.New(slog.NewTextHandler(logs, nil))
	go func() { d.done <- runDaemon(ctx, cfg, logger, hooks) }()
	select {
	case a := <-listening:
		d.base = "http://" + a.String()
	case err := <-d.done:
		t.Fatalf("daemon did not start: %v", err)
	case <-time.After(10 * time.Second):
		t.Fatal("daemon did not start listening within 10s")
	}
	t.Cleanup(func() { d.shutdown(t) })
	return d
}

func (d *daemon) shutdown(t *testing.T) {
	if d.stop == nil {
		return
	}
	d.stop()
	d.stop = nil
	select {
	case err := <-d.done:
		if err != nil {
			t.Errorf("daemon exited with %v", err)
		}
	case <-time.After(20 * time.Second):
		t.Error("daemon did not shut down within 20s")
	}
}

// waitPolls collects n poll results (any sources) or fails.
func (d *daemon) waitPolls(t *testing.T, n int) []poll.Result {
	t.Helper()
	var got []poll.Result
	// Generous: a daemon's first poll waits behind its start, which a
	// machine busy with other test binaries can stretch past 20 s.
	deadline := time.After(60 * time.Second)
	for len(got) < n {
		select {
		case r := <-d.polls:
			if r.Err != nil {
				t.Logf("poll %s: %v", r.URL, r.Err)
			}
			got = append(got, r)
		case <-deadline:
			t.Fatalf("saw %d polls, want %d", len(got), n)
		}
	}
	return got
}

func (d *daemon) get(t *testing.T, path string, header map[string]string) (*http.Response, []byte) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, d.base+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range header {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultTransport.RoundTrip(req) // no transparent gzip
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, body
}

func writeConfig(t *testing.T, dir, redisURL, schedule string, urls ...string) *config.Config {
	t.Helper()
	var b strings.Builder
	fmt.Fprintf(&b, "redis:\n  url: %q\n", redisURL)
	fmt.Fprintf(&b, "listen: 127.0.0.1:0\nbase_url: http://feeds.example.test\nstorage:\n  snapshot: %s\n  snapshot_interval: 1h\n", filepath.Join(dir, "tributary.snapshot"))
	fmt.Fprintf(&b, "defaults:\n  schedule: %q\n  timezone: Asia/Shanghai\n  max_items: 50\nsections:\n  - id: news\n    title: 资讯\n    sources:\n", schedule)
	for _, u := range urls {
		fmt.Fprintf(&b, "      - url: %s\n", u)
	}
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

func parseFeed(t *testing.T, body []byte) *gofeed.Feed {
	t.Helper()
	f, err := gofeed.NewParser().Parse(bytes.NewReader(body))
	if err != nil {
		t.Fatalf("parse rendered feed: %v\n%s", err, body)
	}
	return f
}

func titles(f *gofeed.Feed) []string {
	var out []string
	for _, it := range f.Items {
		out = append(out, it.Title)
	}
	return out
}

// TestDaemon_endToEnd runs the whole daemon against two local sources:
// merged output in three formats, conditional GET on both sides,
// idempotent re-polls, an edit updated in place, and a restart with every
// source down that still serves every entry. It runs on the embedded store
// (the restart goes through its snapshot) and on a real redis-server.
func TestDaemon_endToEnd(t *testing.T) {
	forEachBackend(t, testEndToEnd)
}

// forEachBackend runs fn as a subtest on the embedded store (redis.url
// empty) and on a real redis-server started for it.
func forEachBackend(t *testing.T, fn func(t *testing.T, redisURL string)) {
	backends := []struct {
		name     string
		redisURL func(t *testing.T) string
	}{
		{"embedded", func(*testing.T) string { return "" }},
		{"redis-server", func(t *testing.T) string { return "redis://" + storetest.StartRedis(t) + "/0" }},
	}
	for _, b := range backends {
		t.Run(b.name, func(t *testing.T) { fn(t, b.redisURL(t)) })
	}
}

func testEndToEnd(t *testing.T, redisURL string) {
	dir := t.TempDir()
	alpha := newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	beta := newFixtureSource(t, "beta.atom", "application/atom+xml", nil)
	cfg := writeConfig(t, dir, redisURL, "@every 1s", alpha.srv.URL+"/feed.xml", beta.srv.URL+"/feed.atom")

	d := startDaemon(t, cfg)
	for _, r := range d.waitPolls(t, 2) {
		if r.Err != nil || r.New != 2 {
			t.Fatalf("first poll of %s: new=%d err=%v, want 2 new entries", r.URL, r.New, r.Err)
		}
	}
	want := []string{"Alpha 第三条", "Beta second", "Alpha 第一条", "Beta first"}
	formats := map[string]string{
		".atom": "application/atom+xml",
		".rss":  "application/rss+xml",
		".json": "application/feed+json",
	}
	etags := map[string]string{}
	for ext, ctype := range formats {
		resp, body := d.get(t, "/sections/news"+ext, nil)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) {
			t.Fatalf("%s: status %d, content-type %q", ext, resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		f := parseFeed(t, body)
		if got := titles(f); strings.Join(got, "|") != strings.Join(want, "|") {
			t.Errorf("%s: titles %q, want %q (newest first, merged)", ext, got, want)
		}
		if !bytes.Contains(body, []byte("Beta Institute")) || !bytes.Contains(body, []byte("Alpha 学院")) {
			t.Errorf("%s: entries do not name their sources", ext)
		}
		etags[ext] = resp.Header.Get("ETag")
		if etags[ext] == "" {
			t.Fatalf("%s: no ETag", ext)
		}
		resp, body = d.get(t, "/sections/news"+ext, map[string]string{"If-None-Match": etags[ext]})
		if resp.StatusCode != http.StatusNotModified || len(body) != 0 {
			t.Errorf("%s with If-None-Match: status %d, %d body bytes; want 304 and none", ext, resp.StatusCode, len(body))
		}
	}
	// The zone-less pubDate "2026-11-20 09:30:00" is Shanghai time, and
	// the feed writes it so.
	_, body := d.get(t, "/sections/news.json", nil)
	if !bytes.Contains(body, []byte(`"date_published": "2026-11-20T09:30:00+08:00"`)) {
		t.Errorf("zone-less date not read in Asia/Shanghai:\n%s", body)
	}

	// Re-polls of unchanged sources: conditional GETs answered 304, and the
	// section is untouched (same ETag, so same version).
	for _, r := range d.waitPolls(t, 4) {
		if r.Err != nil || r.New != 0 || r.Updated != 0 {
			t.Fatalf("re-poll of %s: %+v, want nothing new", r.URL, r)
		}
	}
	if alpha.notModified.Load() == 0 || beta.notModified.Load() == 0 {
		t.Errorf("sources saw no conditional GET answered 304 (alpha %d, beta %d)", alpha.notModified.Load(), beta.notModified.Load())
	}
	if resp, _ := d.get(t, "/sections/news.atom", nil); resp.Header.Get("ETag") != etags[".atom"] {
		t.Errorf("ETag changed after idempotent re-polls: %q → %q", etags[".atom"], resp.Header.Get("ETag"))
	}

	// An edited entry is updated in place under the same id.
	alpha.setBody(mustRead(t, "alpha.xml"), map[string]string{"{{TITLE}}": "Alpha 第三条（更新）"})
	waitFor(t, func() bool {
		_, body := d.get(t, "/sections/news.atom", nil)
		return bytes.Contains(body, []byte("Alpha 第三条（更新）"))
	})
	resp, body := d.get(t, "/sections/news.atom", nil)
	f := parseFeed(t, body)
	if len(f.Items) != 4 || resp.Header.Get("ETag") == etags[".atom"] {
		t.Fatalf("after the edit: %d items (want 4), ETag %q (want changed)", len(f.Items), resp.Header.Get("ETag"))
	}
	editedID := f.Items[0].GUID
	d.shutdown(t)

	// Restart with every source down: everything is still served.
	alpha.setDown(true)
	beta.setDown(true)
	d2 := startDaemon(t, cfg)
	resp, body = d2.get(t, "/sections/news.atom", nil)
	f = parseFeed(t, body)
	if resp.StatusCode != http.StatusOK || len(f.Items) != 4 {
		t.Fatalf("after restart: status %d, %d items; want 200 and 4", resp.StatusCode, len(f.Items))
	}
	if f.Items[0].Title != "Alpha 第三条（更新）" || f.Items[0].GUID != editedID {
		t.Errorf("after restart: first item %q id %q, want the edited entry under id %q", f.Items[0].Title, f.Items[0].GUID, editedID)
	}
	for _, r := range d2.waitPolls(t, 2) {
		if r.Err == nil {
			t.Errorf("poll of a down source %s reported no error", r.URL)
		}
	}
	_, body = d2.get(t, "/sections/news.atom", nil)
	if n := len(parseFeed(t, body).Items); n != 4 {
		t.Errorf("failed polls lost entries: %d items, want 4", n)
	}
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// waitFor waits for cond with a deadline (see testkit.WaitFor).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	testkit.WaitFor(t, 20*time.Second, "condition not met", cond)
}
