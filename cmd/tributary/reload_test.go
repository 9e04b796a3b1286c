package main

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/config/reload"
)

// reloadFixture is a config file the daemon under test watches, and the
// two sources it names.
type reloadFixture struct {
	t            *testing.T
	dir, path    string
	alpha, beta  *fixtureSource
	reloads      chan error
	defaultSched string
	redisURL     string // empty: the embedded store
}

func newReloadFixture(t *testing.T) *reloadFixture {
	dir := t.TempDir()
	return &reloadFixture{
		t: t, dir: dir, path: filepath.Join(dir, "tributary.yaml"),
		alpha:        newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"}),
		beta:         newFixtureSource(t, "beta.atom", "application/atom+xml", nil),
		reloads:      make(chan error, 16),
		defaultSched: "@every 1h",
	}
}

// write replaces the config atomically (as editors and config management
// do), so the watcher never reads half a file. sections is YAML for the
// sections list; ALPHA and BETA stand for the sources' URLs.
func (f *reloadFixture) write(sections string) {
	f.t.Helper()
	sections = strings.NewReplacer("ALPHA", f.alpha.srv.URL+"/feed.xml", "BETA", f.beta.srv.URL+"/feed.atom").Replace(sections)
	doc := fmt.Sprintf("redis:\n  url: %q\nlisten: 127.0.0.1:0\nbase_url: http://feeds.example.test\nstorage:\n  snapshot: %s\n  snapshot_interval: 1h\n"+
		"defaults:\n  schedule: %q\n  timezone: Asia/Shanghai\nsections:\n%s",
		f.redisURL, filepath.Join(f.dir, "tributary.snapshot"), f.defaultSched, sections)
	tmp := f.path + ".tmp"
	if err := os.WriteFile(tmp, []byte(doc), 0o644); err != nil {
		f.t.Fatal(err)
	}
	if err := os.Rename(tmp, f.path); err != nil {
		f.t.Fatal(err)
	}
}

func (f *reloadFixture) start(interval time.Duration) *daemon {
	f.t.Helper()
	cfg, err := config.Load(f.path, func(string) string { return "" })
	if err != nil {
		f.t.Fatal(err)
	}
	d := startDaemonHooks(f.t, cfg, daemonHooks{reload: reload.Options{
		Path: f.path, Getenv: func(string) string { return "" }, Interval: interval,
		OnReload: func(err error) { f.reloads <- err },
	}})
	// The test watches the sources' request counters, not poll results:
	// drain them so the scheduler never blocks on the channel.
	stop := make(chan struct{})
	f.t.Cleanup(func() { close(stop) })
	go func() {
		for {
			select {
			case <-d.polls:
			case <-stop:
				return
			}
		}
	}()
	return d
}

// waitReload returns the outcome of the next reload.
func (f *reloadFixture) waitReload() error {
	f.t.Helper()
	select {
	case err := <-f.reloads:
		return err
	case <-time.After(20 * time.Second):
		f.t.Fatal("no reload within 20s")
		return nil
	}
}

func (f *reloadFixture) mustReload() {
	f.t.Helper()
	if err := f.waitReload(); err != nil {
		f.t.Fatalf("reload refused: %v", err)
	}
}

// items is how many entries the section's Atom feed shows, -1 for a 404.
func items(t *testing.T, d *daemon, section string) int {
	resp, body := d.get(t, "/sections/"+section+".atom", nil)
	if resp.StatusCode == http.StatusNotFound {
		return -1
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s.atom: status %d", section, resp.StatusCode)
	}
	return len(parseFeed(t, body).Items)
}

const (
	newsAlpha = "  - id: news\n    title: 资讯\n    sources:\n      - url: ALPHA\n"
	newsBoth  = newsAlpha + "      - url: BETA\n"
	sports    = "  - id: sports\n    title: 体育\n    sources:\n      - url: BETA\n"
	// sportsBoth also lists alpha, which is then in two sections.
	sportsBoth = sports + "      - url: ALPHA\n"
)

// TestDaemon_reload drives a running daemon through config edits picked up
// by the file watcher: a source and a section added (polled at once, served
// at once, the unchanged source not polled again), a schedule shortened
// (applies at once), a config that fails validation (refused with
// file:line, the old sources still polled), and a source and section
// removed (no more polls; its entries leave the section). It
// runs on the embedded store and on a real redis-server.
func TestDaemon_reload(t *testing.T) {
	forEachBackend(t, testReload)
}

func testReload(t *testing.T, redisURL string) {
	f := newReloadFixture(t)
	f.redisURL = redisURL
	f.write(newsAlpha)
	d := f.start(50 * time.Millisecond)
	waitFor(t, func() bool { return items(t, d, "news") == 2 })
	if n := items(t, d, "sports"); n != -1 {
		t.Fatalf("sports before it is configured: %d items, want a 404", n)
	}

	// Add beta to news and a new section sports with beta and alpha:
	// alpha's stored entries show in sports without a poll.
	f.write(newsBoth + sportsBoth)
	f.mustReload()
	waitFor(t, func() bool { return items(t, d, "news") == 4 && items(t, d, "sports") == 4 })
	if n := f.alpha.requests.Load(); n != 1 {
		t.Errorf("unchanged source alpha fetched %d times, want 1: it keeps its state and hourly schedule", n)
	}
	if n := f.beta.requests.Load(); n != 1 {
		t.Errorf("new source beta fetched %d times, want 1 (its first poll)", n)
	}

	// Shorten alpha's schedule: it applies now, not after the old hour.
	f.write(strings.Replace(newsBoth, "      - url: ALPHA\n", "      - url: ALPHA\n        schedule: \"@every 1s\"\n", 1) + sportsBoth)
	f.mustReload()
	waitFor(t, func() bool { return f.alpha.requests.Load() >= 3 })

	// An invalid config is refused with file:line; the running one stays.
	f.write(newsBoth + sportsBoth + "    max_items: many\n")
	err := f.waitReload()
	if err == nil || !regexp.MustCompile(regexp.QuoteMeta(f.path)+`:\d+: `).MatchString(err.Error()) {
		t.Fatalf("invalid config: reload error %v, want one naming %s:LINE", err, f.path)
	}
	before := f.alpha.requests.Load()
	waitFor(t, func() bool { return f.alpha.requests.Load() >= before+2 })
	if n := items(t, d, "sports"); n != 4 {
		t.Errorf("after the refused config: sports has %d items, want 4", n)
	}

	// Remove beta and sports: beta is not polled again, its entries leave
	// news, sports is gone.
	f.write(strings.Replace(newsAlpha, "      - url: ALPHA\n", "      - url: ALPHA\n        schedule: \"@every 1s\"\n", 1))
	f.mustReload()
	betaPolls := f.beta.requests.Load()
	before = f.alpha.requests.Load()
	waitFor(t, func() bool { return f.alpha.requests.Load() >= before+2 })
	if n := f.beta.requests.Load(); n != betaPolls {
		t.Errorf("removed source beta fetched %d more times", n-betaPolls)
	}
	if n := items(t, d, "news"); n != 2 {
		t.Errorf("after removing beta: news has %d items, want alpha's 2 (beta's left with it)", n)
	}
	if n := items(t, d, "sports"); n != -1 {
		t.Errorf("removed section sports: %d items, want a 404", n)
	}
}

// TestDaemon_reloadSIGHUP: SIGHUP reloads at once, without waiting for the
// file watcher (whose interval is an hour here).
func TestDaemon_reloadSIGHUP(t *testing.T) {
	f := newReloadFixture(t)
	f.write(newsAlpha)
	d := f.start(time.Hour)
	waitFor(t, func() bool { return items(t, d, "news") == 2 })
	f.write(newsBoth)
	if err := syscall.Kill(os.Getpid(), syscall.SIGHUP); err != nil {
		t.Fatal(err)
	}
	f.mustReload()
	waitFor(t, func() bool { return items(t, d, "news") == 4 })
}

// TestDaemon_reloadIncluded: an edit of an included file is a change like
// an edit of the config file itself; the sources it adds are polled and
// served.
func TestDaemon_reloadIncluded(t *testing.T) {
	f := newReloadFixture(t)
	inc := filepath.Join(f.dir, "members.yaml")
	writeIncluded := func(sources string) {
		t.Helper()
		doc := "sections:\n  - id: news\n    sources:\n" + strings.NewReplacer("BETA", f.beta.srv.URL+"/feed.atom").Replace(sources)
		if err := os.WriteFile(inc+".tmp", []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.Rename(inc+".tmp", inc); err != nil {
			t.Fatal(err)
		}
	}
	writeIncluded("")
	f.write(newsAlpha)
	raw, err := os.ReadFile(f.path)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(f.path, append([]byte("include: [members.yaml]\n"), raw...), 0o644); err != nil {
		t.Fatal(err)
	}
	d := f.start(50 * time.Millisecond)
	waitFor(t, func() bool { return items(t, d, "news") == 2 })
	writeIncluded("      - url: BETA\n")
	f.mustReload()
	waitFor(t, func() bool { return items(t, d, "news") == 4 })
}
