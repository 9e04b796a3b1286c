package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/config"
	"github.com/tributary-rss/tributary/aggregator/config/reload"
	"github.com/tributary-rss/tributary/aggregator/model"
)

// editFixture is a daemon watching a config file with an admin token,
// and the sources the file and the tests name.
type editFixture struct {
	t                          *testing.T
	dir, path, redisURL        string
	alpha, beta, gamma         *fixtureSource
	alphaURL, betaURL, gammURL string
	reloads                    chan error
}

func newEditFixture(t *testing.T, redisURL string) *editFixture {
	f := &editFixture{t: t, dir: t.TempDir(), redisURL: redisURL, reloads: make(chan error, 16)}
	f.path = filepath.Join(f.dir, "tributary.yaml")
	f.alpha = newFixtureSource(t, "alpha.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{TITLE}}": "Alpha 第三条"})
	f.beta = newFixtureSource(t, "beta.atom", "application/atom+xml", nil)
	f.gamma = newFixtureSource(t, "campus.xml", "application/rss+xml; charset=utf-8", map[string]string{"{{SRC}}": "gamma", "{{NAME}}": "丙校"})
	f.alphaURL, f.betaURL, f.gammURL = f.alpha.srv.URL+"/feed.xml", f.beta.srv.URL+"/feed.atom", f.gamma.srv.URL+"/feed.xml"
	return f
}

// write replaces the config atomically with the given admin token and
// sections (YAML; ALPHA and BETA stand for the sources' URLs) and
// returns the line of the first "url: ALPHA".
func (f *editFixture) write(token, sections string) int {
	f.t.Helper()
	doc := fmt.Sprintf("redis:\n  url: %q\nlisten: 127.0.0.1:0\nbase_url: http://feeds.example.test\nstorage:\n  snapshot: %s\n  snapshot_interval: 1h\n"+
		"admin:\n  token: %s\n  allow_private: true\ndefaults:\n  schedule: \"@every 1h\"\n  timezone: Asia/Shanghai\nsections:\n%s",
		f.redisURL, filepath.Join(f.dir, "tributary.snapshot"), token, sections)
	line := 0
	for i, l := range strings.Split(doc, "\n") {
		if line == 0 && strings.Contains(l, "url: ALPHA") {
			line = i + 1
		}
	}
	doc = strings.NewReplacer("ALPHA", f.alphaURL, "BETA", f.betaURL).Replace(doc)
	if err := os.WriteFile(f.path+".tmp", []byte(doc), 0o644); err != nil {
		f.t.Fatal(err)
	}
	if err := os.Rename(f.path+".tmp", f.path); err != nil {
		f.t.Fatal(err)
	}
	return line
}

func (f *editFixture) start() *daemon {
	f.t.Helper()
	cfg, err := config.Load(f.path, func(string) string { return "" })
	if err != nil {
		f.t.Fatal(err)
	}
	return startDaemonHooks(f.t, cfg, daemonHooks{reload: reload.Options{
		Path: f.path, Getenv: func(string) string { return "" }, Interval: 50 * time.Millisecond,
		OnReload: func(err error) { f.reloads <- err },
	}})
}

func (f *editFixture) mustReload() {
	f.t.Helper()
	select {
	case err := <-f.reloads:
		if err != nil {
			f.t.Fatalf("reload refused: %v", err)
		}
	case <-time.After(20 * time.Second):
		f.t.Fatal("no reload within 20s")
	}
}

// sourceEntries is how many entries section's JSON Feed shows of source
// (?source=), -1 for a 404.
func sourceEntries(t *testing.T, d *daemon, section, source string) int {
	t.Helper()
	resp, body := d.get(t, "/sections/"+section+".json?source="+source, nil)
	if resp.StatusCode == http.StatusNotFound {
		return -1
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("%s?source=%s: %d %s", section, source, resp.StatusCode, body)
	}
	var feed struct{ Items []json.RawMessage }
	if err := json.Unmarshal(body, &feed); err != nil {
		t.Fatal(err)
	}
	return len(feed.Items)
}

const (
	editToken1 = "edit-token-0123456789-one"
	editToken2 = "edit-token-0123456789-two"
	newsHot    = "  - id: news\n    title: 资讯\n    sources:\n      - url: ALPHA\n" +
		"  - id: hot\n    title: 热点\n    sources:\n      - url: ALPHA\n      - url: BETA\n"
)

// TestDaemon_adminEdit drives source edits end to end: an API source's
// title, schedule and sections edited with PATCH and applied at once (the
// scheduler follows the new schedule, a section left drops its entries,
// keep_entries keeps them and ?source= still serves them), a config
// source refused with its file and line, a config source removed from a
// section by a reload (its entries leave) and by an edit made while the
// daemon was down (they leave at start), and a new admin.token applied
// by a reload. It runs on the embedded store and on a real redis-server.
func TestDaemon_adminEdit(t *testing.T) {
	forEachBackend(t, testAdminEdit)
}

func testAdminEdit(t *testing.T, redisURL string) {
	f := newEditFixture(t, redisURL)
	alphaLine := f.write(editToken1, newsHot)
	d := f.start()
	alphaID, betaID := model.SourceID(f.alphaURL), model.SourceID(f.betaURL)
	waitFor(t, func() bool { return items(t, d, "hot") == 4 })
	auth := "Bearer " + editToken1
	const list = "/api/v1/admin/sources"

	// An API source in news, then edited: title, a schedule of seconds,
	// and section hot too.
	resp, body := d.admin(t, "POST", list, auth, map[string]any{"id": "gamma", "url": f.gammURL, "sections": []string{"news"}})
	expectStatus(t, "add gamma", resp, body, http.StatusCreated, `"origin": "api"`)
	d.waitPollOf(t, f.gammURL)
	gammaN := sourceEntries(t, d, "news", "gamma")
	if gammaN < 1 {
		t.Fatalf("gamma's entries in news: %d", gammaN)
	}
	resp, body = d.admin(t, "PATCH", list+"/gamma", auth, map[string]any{"title": "丙校新闻", "schedule": "@every 2s", "sections": []string{"news", "hot"}})
	expectStatus(t, "patch gamma", resp, body, http.StatusOK, `"title": "丙校新闻"`)
	expectStatus(t, "patch gamma", resp, body, http.StatusOK, `"schedule": "@every 2s"`)
	// The new schedule applies: two more polls within seconds, where the
	// hourly one would bring none.
	d.waitPollOf(t, f.gammURL)
	d.waitPollOf(t, f.gammURL)
	waitFor(t, func() bool { return sourceEntries(t, d, "hot", "gamma") == gammaN })

	// Leaving hot drops gamma's entries from it at once.
	resp, body = d.admin(t, "PATCH", list+"/gamma", auth, map[string]any{"sections": []string{"news"}})
	expectStatus(t, "gamma leaves hot", resp, body, http.StatusOK, `"sections": [`)
	if n := sourceEntries(t, d, "hot", "gamma"); n != -1 || items(t, d, "hot") != 4 {
		t.Errorf("after gamma left hot: ?source=gamma gives %d (want 404), hot holds %d (want 4)", n, items(t, d, "hot"))
	}
	if n := sourceEntries(t, d, "news", "gamma"); n != gammaN {
		t.Errorf("gamma's entries in news: %d, want %d", n, gammaN)
	}
	// Back in hot, then out again keeping its entries there.
	resp, body = d.admin(t, "PATCH", list+"/gamma", auth, map[string]any{"sections": []string{"news", "hot"}})
	expectStatus(t, "gamma back in hot", resp, body, http.StatusOK, `"hot"`)
	waitFor(t, func() bool { return sourceEntries(t, d, "hot", "gamma") == gammaN })
	resp, body = d.admin(t, "PATCH", list+"/gamma", auth, map[string]any{"sections": []string{"news"}, "keep_entries": true})
	expectStatus(t, "gamma leaves hot keeping its entries", resp, body, http.StatusOK, "")
	if n := sourceEntries(t, d, "hot", "gamma"); n != gammaN {
		t.Errorf("kept entries of gamma served by ?source=: %d, want %d", n, gammaN)
	}

	// A config source: only sections, and never its file's.
	resp, body = d.admin(t, "PATCH", list+"/"+alphaID, auth, map[string]any{"schedule": "@every 5m"})
	expectStatus(t, "patch a config source's schedule", resp, body, http.StatusConflict, fmt.Sprintf("edit schedule at %s:%d", f.path, alphaLine))
	resp, body = d.admin(t, "PATCH", list+"/"+alphaID, auth, map[string]any{"sections": []string{"hot"}})
	expectStatus(t, "drop a config source's file section", resp, body, http.StatusConflict, fmt.Sprintf("%s:%d", f.path, alphaLine))

	// The file drops beta from hot: its entries leave hot.
	f.write(editToken1, "  - id: news\n    title: 资讯\n    sources:\n      - url: ALPHA\n  - id: hot\n    title: 热点\n    sources:\n      - url: ALPHA\n")
	f.mustReload()
	waitFor(t, func() bool { return sourceEntries(t, d, "hot", betaID) == -1 })
	if n := items(t, d, "hot"); n != 2+gammaN {
		t.Errorf("hot holds %d entries after beta left, want alpha's 2 and gamma's kept %d", n, gammaN)
	}

	// A new token in the file applies without a restart.
	f.write(editToken2, "  - id: news\n    title: 资讯\n    sources:\n      - url: ALPHA\n  - id: hot\n    title: 热点\n    sources:\n      - url: ALPHA\n")
	f.mustReload()
	for _, tc := range []struct {
		token string
		code  int
	}{{editToken1, http.StatusUnauthorized}, {editToken2, http.StatusOK}} {
		for _, path := range []string{list, "/api/v1/sources"} {
			resp, body := d.admin(t, "GET", path, "Bearer "+tc.token, nil)
			expectStatus(t, path+" after the token changed", resp, body, tc.code, "")
		}
	}
	d.shutdown(t)

	// Edited while no daemon runs: alpha leaves hot, beta comes back.
	// Alpha's entries are gone from hot as soon as the daemon answers.
	f.write(editToken2, "  - id: news\n    title: 资讯\n    sources:\n      - url: ALPHA\n  - id: hot\n    title: 热点\n    sources:\n      - url: BETA\n")
	d = f.start()
	if n := sourceEntries(t, d, "hot", alphaID); n != -1 {
		t.Errorf("alpha's entries in hot after a restart without it: %d, want none (404)", n)
	}
	if n := sourceEntries(t, d, "news", alphaID); n != 2 {
		t.Errorf("alpha's entries in news: %d, want 2", n)
	}
	if n := sourceEntries(t, d, "hot", "gamma"); n != gammaN {
		t.Errorf("gamma's kept entries in hot after the restart: %d, want %d", n, gammaN)
	}
	// Beta, back in hot, fills it again from its next poll.
	resp, body = d.admin(t, "POST", list+"/"+betaID+"/poll", "Bearer "+editToken2, nil)
	expectStatus(t, "poll beta", resp, body, http.StatusAccepted, "")
	waitFor(t, func() bool { return sourceEntries(t, d, "hot", betaID) == 2 })
}
