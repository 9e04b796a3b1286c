package main

import (
	"bytes"
	"context"
	"flag"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/golden from the current output")

// siteRoutes map the paths of the test site to a fixture under
// testdata/site (or, for pages other packages test with, where those live
// once: see sharedFixtures) and its Content-Type.
var siteRoutes = map[string]struct{ file, contentType string }{
	"/portal/":                      {"home_feeds.html", "text/html; charset=utf-8"},
	"/school/":                      {"home_relfeed.html", "text/html; charset=utf-8"},
	"/nofeed/":                      {"home_nofeed.html", "text/html"},
	"/news/feed.xml":                {"feed.xml", "application/rss+xml"},
	"/tzgg/list.htm":                {"list_pinned.html", "text/html; charset=utf-8"},
	"/gbk/list.htm":                 {"list_gbk.html", "text/html"}, // the charset is in <meta> only
	"/2026/1017/c1234a201/page.htm": {"article_webplus.html", "text/html; charset=utf-8"},
	"/2026/1012/c1234a198/page.htm": {"article_webplus.html", "text/html; charset=utf-8"},
	"/sitemap.xml":                  {"sitemap.xml", "application/xml"},
}

// testSite is a school site on 127.0.0.1: pages with and without feed
// links, a feed, list pages and articles, a redirect and a 404. It counts
// requests, so a test can tell what was fetched.
type testSite struct {
	srv      *httptest.Server
	requests atomic.Int64
}

func newTestSite(t *testing.T) *testSite {
	t.Helper()
	s := &testSite{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.requests.Add(1)
		if r.URL.Path == "/moved" {
			http.Redirect(w, r, "/school/", http.StatusMovedPermanently)
			return
		}
		if name, ok := strings.CutPrefix(r.URL.Path, "/lists/"); ok {
			serveListPage(w, r, name)
			return
		}
		route, ok := siteRoutes[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		body, err := os.ReadFile(fixturePath("site", route.file))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", route.contentType)
		w.Write(body)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

func (s *testSite) url(path string) string { return s.srv.URL + path }

// sharedFixtures are the pages these tests serve that other packages'
// tests read too, kept once where they live: the parser's pages, the
// poller's, the previewer's.
var sharedFixtures = map[string]string{
	"home_nofeed.html":     filepath.Join("..", "..", "aggregator", "parse", "testdata", "home_nofeed.html"),
	"home_feeds.html":      filepath.Join("..", "..", "aggregator", "parse", "testdata", "home_feeds.html"),
	"list_gbk.html":        filepath.Join("..", "..", "aggregator", "parse", "testdata", "list_gbk.html"),
	"list_ul.html":         filepath.Join("..", "..", "aggregator", "parse", "testdata", "list_ul.html"),
	"list_pinned.html":     filepath.Join("..", "..", "aggregator", "parse", "testdata", "list_pinned.html"),
	"article_webplus.html": filepath.Join("..", "..", "aggregator", "parse", "testdata", "article_webplus.html"),
	"article_generic.html": filepath.Join("..", "..", "aggregator", "parse", "testdata", "article_generic.html"),
	"home_feed.html":       filepath.Join("..", "..", "aggregator", "poll", "testdata", "home_feed.html"),
	"list_articles.html":   filepath.Join("..", "..", "aggregator", "poll", "testdata", "list_articles.html"),
	"home_relfeed.html":    filepath.Join("..", "..", "aggregator", "preview", "testdata", "home_relfeed.html"),
	"feed.xml":             filepath.Join("..", "..", "aggregator", "preview", "testdata", "feed.xml"),
}

// fixturePath is where the fixture name of testdata/dir is: its shared
// copy when other packages test with it too.
func fixturePath(dir, name string) string {
	if p, ok := sharedFixtures[name]; ok {
		return p
	}
	return filepath.Join("testdata", dir, name)
}

// listPagesDir holds the list pages of several CMS families that the
// packages test detection with, kept once in package parse.
var listPagesDir = filepath.Join("..", "..", "aggregator", "parse", "testdata", "lists")

// serveListPage serves the list page name of listPagesDir (its charset,
// if not UTF-8, is in its <meta>, as on the CMS sites it imitates).
func serveListPage(w http.ResponseWriter, r *http.Request, name string) {
	body, err := os.ReadFile(filepath.Join(listPagesDir, filepath.Base(name)))
	if err != nil {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html")
	w.Write(body)
}

// runCmd runs a command function with args and returns its exit code,
// stdout and stderr, with the site's address written as http://SITE so
// outputs compare with golden files.
func runCmd(s *testSite, cmd func(context.Context, []string, io.Writer, io.Writer) int, args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := cmd(context.Background(), args, &out, &errOut)
	site := ""
	if s != nil {
		site = s.srv.URL
	}
	clean := func(b *bytes.Buffer) string {
		if site == "" {
			return b.String()
		}
		return strings.ReplaceAll(b.String(), site, "http://SITE")
	}
	return code, clean(&out), clean(&errOut)
}

// checkGolden compares got with testdata/golden/name, or rewrites the
// file with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name)
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to write it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test -update rewrites it):\n--- got\n%s--- want\n%s", path, got, want)
	}
}
