package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/normalize/xsstest"
)

// xssWidgetSections split the corpus feeds so that each widget section
// holds at most the 200 entries a widget shows.
var xssWidgetSections = []string{"w1", "w2", "w3", "w4"}

// xssEnv is a daemon that has ingested the XSS corpus: section "all" holds
// every generated feed, w1…w4 a quarter each.
type xssEnv struct {
	d      *daemon
	canary *canary
	gen    xsstest.Generator
	feeds  []xsstest.Feed
	// entries is how many entries each section holds, per the API.
	entries map[string]int
}

func startXSSEnv(t *testing.T) *xssEnv {
	t.Helper()
	c := startCanary(t)
	mux := http.NewServeMux()
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	env := &xssEnv{canary: c, entries: map[string]int{}}
	env.gen = xsstest.Generator{Canary: c.srv.URL, Site: srv.URL + "/site", Chunk: 23}
	env.feeds = env.gen.Feeds()
	for _, f := range env.feeds {
		mux.HandleFunc("GET "+f.Path, func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", f.ContentType)
			_, _ = w.Write(f.Body)
		})
	}
	env.d = startDaemon(t, writeXSSConfig(t, srv.URL, env.feeds))
	for _, r := range env.d.waitPolls(t, len(env.feeds)) {
		if r.Err != nil || r.New == 0 {
			t.Fatalf("poll of %s: new=%d err=%v, want entries", r.URL, r.New, r.Err)
		}
	}
	for _, id := range append([]string{"all"}, xssWidgetSections...) {
		limit := 200 // the widget sections' max_items
		if id == "all" {
			limit = 1000
		}
		var page struct {
			Entries []json.RawMessage `json:"entries"`
			NextURL string            `json:"next_url"`
		}
		_, body := env.d.get(t, fmt.Sprintf("/api/v1/sections/%s/entries?limit=%d", id, limit), nil)
		if err := json.Unmarshal(body, &page); err != nil || page.NextURL != "" {
			t.Fatalf("entries of %s: %v, next %q", id, err, page.NextURL)
		}
		env.entries[id] = len(page.Entries)
	}
	// Items sharing a link merge, so a few fewer entries than items is
	// right; far fewer would mean the corpus did not get in.
	items := 0
	for _, f := range env.feeds {
		items += f.Items
	}
	if env.entries["all"] < items*9/10 {
		t.Fatalf("section all holds %d entries of %d items generated", env.entries["all"], items)
	}
	return env
}

// writeXSSConfig writes a config with section "all" listing every feed
// and the widget sections a quarter each, polled once an hour (so once).
func writeXSSConfig(t *testing.T, base string, feeds []xsstest.Feed) *config.Config {
	t.Helper()
	dir := t.TempDir()
	var b strings.Builder
	fmt.Fprintf(&b, "redis:\n  url: \"\"\nlisten: 127.0.0.1:0\nbase_url: http://feeds.example.test\n")
	fmt.Fprintf(&b, "storage:\n  snapshot: %s\n  snapshot_interval: 1h\n", filepath.Join(dir, "tributary.snapshot"))
	fmt.Fprintf(&b, "defaults:\n  schedule: \"@every 1h\"\n  timezone: UTC\n  max_items: 200\nsections:\n")
	fmt.Fprintf(&b, "  - id: all\n    title: XSS corpus\n    max_items: 1000\n    sources:\n")
	for _, f := range feeds {
		fmt.Fprintf(&b, "      - url: %s%s\n", base, f.Path)
	}
	for i, id := range xssWidgetSections {
		fmt.Fprintf(&b, "  - id: %s\n    title: Widget %d\n    sources:\n", id, i+1)
		for j := i; j < len(feeds); j += len(xssWidgetSections) {
			fmt.Fprintf(&b, "      - url: %s%s\n", base, feeds[j].Path)
		}
	}
	path := filepath.Join(dir, "tributary.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(path, func(string) string { return "" })
	if err != nil {
		t.Fatalf("config: %v\n%s", err, b.String())
	}
	return cfg
}

// canary records every request it gets. Adapted payloads request
// /exec/<tag> when they run, and load their third-party scripts, styles
// and documents from /res/<tag>, which answers with a payload that also
// reports to /exec/.
type canary struct {
	srv  *httptest.Server
	mu   sync.Mutex
	hits []canaryHit
}

type canaryHit struct {
	path string
	// dest is Sec-Fetch-Dest: what the browser loads the URL as.
	dest string
}

// String names the hit in failure messages.
func (h canaryHit) String() string { return h.path + " (as " + h.dest + ")" }

func startCanary(t *testing.T) *canary {
	t.Helper()
	c := &canary{}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.mu.Lock()
		c.hits = append(c.hits, canaryHit{path: r.URL.Path, dest: r.Header.Get("Sec-Fetch-Dest")})
		c.mu.Unlock()
		w.Header().Set("Content-Type", "text/javascript")
		tag := strings.TrimPrefix(r.URL.Path, "/res/")
		_, _ = w.Write([]byte(xsstest.Script(c.srv.URL + "/exec/" + tag + ".loaded")))
	}))
	t.Cleanup(c.srv.Close)
	return c
}

// mark is where the hits of the next page load start.
func (c *canary) mark() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.hits)
}

// controlTag starts the tags of the positive control's payloads, which
// runs while the daemon's pages load: its hits are its own.
const controlTag = "control-"

// suspicious returns the hits since mark that only script, or markup that
// must never survive, could cause: every /exec/ request, and any load of a
// resource except as an image (a page may show feed images: the policy
// allows them). control selects the control's hits, or all others.
func (c *canary) suspicious(mark int, control bool) []canaryHit {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []canaryHit
	for _, h := range c.hits[mark:] {
		tag := strings.TrimPrefix(strings.TrimPrefix(h.path, "/exec/"), "/res/")
		if strings.HasPrefix(tag, controlTag) != control {
			continue
		}
		if strings.HasPrefix(h.path, "/exec/") || h.dest != "image" {
			out = append(out, h)
		}
	}
	return out
}
