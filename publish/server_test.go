package publish

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/testkit"
)

func TestServer_Headers(t *testing.T) {
	fx := loadFixture(t)
	s, ts := newTestServer(t, newFakeReader(fx), fx)
	tests := []struct {
		path, contentType, etag string
		page                    bool
	}{
		{"/sections/news.rss", "application/rss+xml; charset=utf-8", etagOf(s, "news-v12-rss-50"), false},
		{"/sections/news.atom", "application/atom+xml; charset=utf-8", etagOf(s, "news-v12-atom-50"), false},
		{"/sections/news.json", "application/feed+json; charset=utf-8", etagOf(s, "news-v12-json-50"), false},
		{"/sections/news?limit=7&utm_source=x", "text/html; charset=utf-8", etagOf(s, "news-v12-html-7-zh"), true},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, _ := get(t, ts, tt.path)
			want := map[string]string{
				"Content-Type":  tt.contentType,
				"ETag":          tt.etag,
				"Last-Modified": "Fri, 17 Oct 2025 08:30:00 GMT",
				"Cache-Control": "public, max-age=300",
				"Vary":          "Accept-Encoding",
			}
			if tt.page {
				want["Vary"] = "Accept-Encoding, Accept-Language"
				want["Content-Security-Policy"] = contentSecurityPolicy
				want["X-Content-Type-Options"] = "nosniff"
				want["Referrer-Policy"] = "strict-origin-when-cross-origin"
			}
			for k, v := range want {
				if got := resp.Header.Get(k); got != v {
					t.Errorf("%s = %q, want %q", k, got, v)
				}
			}
		})
	}
}

func TestServer_NotModified(t *testing.T) {
	fx := loadFixture(t)
	s, ts := newTestServer(t, newFakeReader(fx), fx)
	const path = "/sections/news.atom"
	tests := []struct {
		name string
		hdr  map[string]string
		want int
	}{
		{"etag", map[string]string{"If-None-Match": etagOf(s, "news-v12-atom-50")}, 304},
		{"etag in list", map[string]string{"If-None-Match": `"x", ` + etagOf(s, "news-v12-atom-50")}, 304},
		{"weak etag", map[string]string{"If-None-Match": "W/" + etagOf(s, "news-v12-atom-50")}, 304},
		{"star", map[string]string{"If-None-Match": `*`}, 304},
		{"old version", map[string]string{"If-None-Match": `"news-v11-atom-50"`}, 200},
		{"other limit", map[string]string{"If-None-Match": etagOf(s, "news-v12-atom-49")}, 200},
		{"gzip etag without gzip", map[string]string{"If-None-Match": etagOf(s, "news-v12-atom-50-gz")}, 200},
		{"gzip etag with gzip", map[string]string{"If-None-Match": etagOf(s, "news-v12-atom-50-gz"), "Accept-Encoding": "gzip"}, 304},
		{"modified since equal", map[string]string{"If-Modified-Since": "Fri, 17 Oct 2025 08:30:00 GMT"}, 304},
		{"modified since later", map[string]string{"If-Modified-Since": "Sat, 18 Oct 2025 00:00:00 GMT"}, 304},
		{"modified since earlier", map[string]string{"If-Modified-Since": "Fri, 17 Oct 2025 08:29:59 GMT"}, 200},
		{"bad date", map[string]string{"If-Modified-Since": "yesterday"}, 200},
		{"etag mismatch wins over date", map[string]string{
			"If-None-Match": `"nope"`, "If-Modified-Since": "Sat, 18 Oct 2025 00:00:00 GMT"}, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, body := fetch(t, ts, http.MethodGet, path, tt.hdr)
			if resp.StatusCode != tt.want {
				t.Fatalf("status %d, want %d", resp.StatusCode, tt.want)
			}
			if tt.want == 304 && len(body) != 0 {
				t.Errorf("304 with a %d-byte body", len(body))
			}
			if tt.want == 304 && resp.Header.Get("ETag") == "" {
				t.Error("304 without ETag")
			}
		})
	}
}

func TestServer_Gzip(t *testing.T) {
	fx := loadFixture(t)
	s, ts := newTestServer(t, newFakeReader(fx), fx)
	const path = "/sections/news.json"
	_, plain := fetch(t, ts, http.MethodGet, path, map[string]string{"Accept-Encoding": "identity"})
	tests := []struct {
		accept string
		gzip   bool
	}{
		{"gzip", true},
		{"br, gzip;q=0.5", true},
		{"*", true},
		{"gzip;q=0", false},
		{"*;q=0", false},
		{"identity", false},
		{"br", false},
	}
	for _, tt := range tests {
		t.Run(tt.accept, func(t *testing.T) {
			resp, body := fetch(t, ts, http.MethodGet, path, map[string]string{"Accept-Encoding": tt.accept})
			gotGzip := resp.Header.Get("Content-Encoding") == "gzip"
			if gotGzip != tt.gzip {
				t.Fatalf("Content-Encoding %q, want gzip=%v", resp.Header.Get("Content-Encoding"), tt.gzip)
			}
			wantETag := etagOf(s, "news-v12-json-50")
			if tt.gzip {
				wantETag = etagOf(s, "news-v12-json-50-gz")
				body = gunzip(t, body)
			}
			if got := resp.Header.Get("ETag"); got != wantETag {
				t.Errorf("ETag %s, want %s", got, wantETag)
			}
			if !bytes.Equal(body, plain) {
				t.Error("decoded body differs from the identity body")
			}
		})
	}
}

func gunzip(t *testing.T, b []byte) []byte {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return out
}

func TestServer_Head(t *testing.T) {
	fx := loadFixture(t)
	_, ts := newTestServer(t, newFakeReader(fx), fx)
	for _, path := range []string{"/sections/news.rss", "/sections/news", "/", "/healthz"} {
		t.Run(path, func(t *testing.T) {
			_, full := get(t, ts, path)
			resp, body := fetch(t, ts, http.MethodHead, path, nil)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("HEAD status %d", resp.StatusCode)
			}
			if len(body) != 0 {
				t.Errorf("HEAD sent %d body bytes", len(body))
			}
			if strings.HasPrefix(path, "/sections/") && resp.ContentLength != int64(len(full)) {
				t.Errorf("Content-Length %d, want %d", resp.ContentLength, len(full))
			}
		})
	}
}

func TestServer_Limit(t *testing.T) {
	fx := loadFixture(t)
	_, ts := newTestServer(t, newFakeReader(fx), fx)
	const msg = `invalid query parameter "limit": must be an integer between 1 and 200` + "\n"
	tests := []struct {
		query   string
		status  int
		entries int
	}{
		{"", 200, 3},
		{"?limit=2", 200, 2},
		{"?limit=1&foo=bar", 200, 1},
		{"?limit=200", 200, 3},
		{"?limit=0", 400, 0},
		{"?limit=-1", 400, 0},
		{"?limit=abc", 400, 0},
		{"?limit=", 400, 0},
		{"?limit=201", 400, 0},
		{"?limit=99999999999999999999", 400, 0},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			resp, body := get(t, ts, "/sections/news.rss"+tt.query)
			if resp.StatusCode != tt.status {
				t.Fatalf("status %d, want %d: %s", resp.StatusCode, tt.status, body)
			}
			if tt.status == 400 {
				if string(body) != msg {
					t.Errorf("body %q, want %q", body, msg)
				}
				return
			}
			if n := bytes.Count(body, []byte("<item>")); n != tt.entries {
				t.Errorf("%d items, want %d", n, tt.entries)
			}
		})
	}
}

func TestServer_NotFound(t *testing.T) {
	fx := loadFixture(t)
	_, ts := newTestServer(t, newFakeReader(fx), fx)
	tests := []struct{ path, body string }{
		{"/sections/sports", `unknown section "sports"`},
		{"/sections/sports.rss", `unknown section "sports"`},
		{"/sections/news.xml", "unknown feed format"},
		{"/sections/news.", "unknown feed format"},
		{"/nope", "404 page not found"},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			resp, body := get(t, ts, tt.path)
			if resp.StatusCode != http.StatusNotFound {
				t.Fatalf("status %d, want 404", resp.StatusCode)
			}
			if got := strings.TrimSpace(string(body)); got != tt.body {
				t.Errorf("body %q, want %q", got, tt.body)
			}
		})
	}
}

func TestServer_RendersOnceWhenCold(t *testing.T) {
	fx := loadFixture(t)
	r := newFakeReader(fx)
	gate := make(chan struct{})
	r.gate = gate
	_, ts := newTestServer(t, r, fx)

	const n = 20
	var wg sync.WaitGroup
	bodies := make([][]byte, n)
	codes := make([]int, n)
	for i := range n {
		wg.Go(func() {
			resp, body := get(t, ts, "/sections/news.atom")
			codes[i], bodies[i] = resp.StatusCode, body
		})
	}
	// Hold the first render until every request has asked the store for
	// the version, so they all miss the cache together.
	waitFor(t, func() bool { return r.metaCalls.Load() == n })
	close(gate)
	wg.Wait()

	if got := r.entriesCalls.Load(); got != 1 {
		t.Errorf("SectionEntries called %d times, want 1", got)
	}
	for i := range n {
		if codes[i] != 200 || !bytes.Equal(bodies[i], bodies[0]) {
			t.Fatalf("request %d: status %d, body differs=%v", i, codes[i], !bytes.Equal(bodies[i], bodies[0]))
		}
	}
}

// waitFor waits for cond with a deadline (see testkit.WaitFor).
func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	testkit.WaitFor(t, 5*time.Second, "condition not met", cond)
}

func TestServer_Invalidate(t *testing.T) {
	fx := loadFixture(t)
	r := newFakeReader(fx)
	s, ts := newTestServer(t, r, fx)
	get(t, ts, "/sections/news.rss")
	get(t, ts, "/sections/news.rss")
	if got := r.entriesCalls.Load(); got != 1 {
		t.Fatalf("after two requests: %d renders, want 1", got)
	}
	r.setEntries("news", fx.Entries[1:])
	s.Invalidate("news")
	s.Invalidate("unknown") // must not disturb anything
	_, body := get(t, ts, "/sections/news.rss")
	if got := r.entriesCalls.Load(); got != 2 {
		t.Fatalf("after Invalidate: %d renders, want 2", got)
	}
	if n := bytes.Count(body, []byte("<item>")); n != 2 {
		t.Errorf("after Invalidate: %d items, want 2", n)
	}
}

// TestServer_VersionBump: a cached render is served without asking the
// store, until Recheck sees the store's version move on.
func TestServer_VersionBump(t *testing.T) {
	fx := loadFixture(t)
	r := newFakeReader(fx)
	s, ts := newTestServer(t, r, fx)
	resp, _ := get(t, ts, "/sections/news.json")
	if got := resp.Header.Get("ETag"); got != etagOf(s, "news-v12-json-50") {
		t.Fatalf("ETag %s", got)
	}
	metaCalls := r.metaCalls.Load()
	r.bumpVersion("news")
	resp, _ = get(t, ts, "/sections/news.json")
	if got := resp.Header.Get("ETag"); got != etagOf(s, "news-v12-json-50") {
		t.Errorf("before the re-check: ETag %s, want the cached v12", got)
	}
	if got := r.metaCalls.Load(); got != metaCalls {
		t.Errorf("a cache hit read the section meta (%d reads, want %d)", got, metaCalls)
	}
	if err := s.Recheck(context.Background()); err != nil {
		t.Fatal(err)
	}
	resp, _ = get(t, ts, "/sections/news.json")
	if got := resp.Header.Get("ETag"); got != etagOf(s, "news-v13-json-50") {
		t.Errorf("after bump: ETag %s, want v13", got)
	}
	if got := r.entriesCalls.Load(); got != 2 {
		t.Errorf("after bump: %d renders, want 2", got)
	}
	get(t, ts, "/sections/news.json")
	if got := r.entriesCalls.Load(); got != 2 {
		t.Errorf("same version again: %d renders, want 2", got)
	}
}

func TestServer_StoreUnavailable(t *testing.T) {
	fx := loadFixture(t)
	r := newFakeReader(fx)
	s, ts := newTestServer(t, r, fx)
	_, warm := get(t, ts, "/sections/news.atom")
	// A change event arrives while the store is down: the render is no
	// longer trusted but is the best there is.
	s.Invalidate("news")
	r.setErr(errStoreDown)

	t.Run("cached copy is served stale", func(t *testing.T) {
		resp, body := get(t, ts, "/sections/news.atom")
		if resp.StatusCode != 200 || !bytes.Equal(body, warm) {
			t.Fatalf("status %d, same body %v", resp.StatusCode, bytes.Equal(body, warm))
		}
		if got, want := resp.Header.Get("Warning"), `110 - "stale: store unavailable"`; got != want {
			t.Errorf("Warning %q, want %q", got, want)
		}
	})
	t.Run("no cached copy is 503", func(t *testing.T) {
		resp, body := get(t, ts, "/sections/news.rss")
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Fatalf("status %d, want 503", resp.StatusCode)
		}
		if strings.Contains(string(body), "refused") {
			t.Errorf("503 body leaks the store error: %q", body)
		}
	})
	t.Run("entries fail on a new version: stale", func(t *testing.T) {
		r.setErr(nil)
		r.setEntriesErr(errStoreDown)
		r.bumpVersion("news")
		resp, body := get(t, ts, "/sections/news.atom")
		if resp.StatusCode != 200 || !bytes.Equal(body, warm) || resp.Header.Get("Warning") == "" {
			t.Errorf("status %d, same body %v, Warning %q", resp.StatusCode, bytes.Equal(body, warm), resp.Header.Get("Warning"))
		}
		if got := resp.Header.Get("ETag"); got != etagOf(s, "news-v12-atom-50") {
			t.Errorf("stale ETag %s, want the cached v12", got)
		}
	})
	t.Run("entries fail cold: 503", func(t *testing.T) {
		resp, _ := get(t, ts, "/sections/news")
		if resp.StatusCode != http.StatusServiceUnavailable {
			t.Errorf("status %d, want 503", resp.StatusCode)
		}
	})
}
func TestServer_HTMLEscapesText(t *testing.T) {
	fx := loadFixture(t)
	evil := fx.Entries[0]
	evil.Title = `<script>alert("x")</script>`
	evil.Summary = `<img src=x onerror=alert(1)>`
	evil.SourceTitle = `"><b>src</b>`
	evil.Link = "javascript:alert(1)"
	r := newFakeReader(fx)
	r.setEntries("news", []model.Entry{evil})
	_, ts := newTestServer(t, r, fx)
	_, body := get(t, ts, "/sections/news")
	page := string(body)
	for _, bad := range []string{"<script>", "<img src=x", "<b>src", `href="javascript:`} {
		if strings.Contains(page, bad) {
			t.Errorf("page contains unescaped %q", bad)
		}
	}
	for _, want := range []string{"&lt;script&gt;", "&lt;img src=x onerror=alert(1)&gt;", "&lt;b&gt;src&lt;/b&gt;"} {
		if !strings.Contains(page, want) {
			t.Errorf("page lacks escaped %q", want)
		}
	}
}

func TestServer_Health(t *testing.T) {
	fx := loadFixture(t)
	tests := []struct {
		name  string
		ready func(context.Context) error
		path  string
		code  int
		body  string
	}{
		{"healthz", nil, "/healthz", 200, "ok"},
		{"ready by default", nil, "/readyz", 200, "ok"},
		{"ready", func(context.Context) error { return nil }, "/readyz", 200, "ok"},
		// The reason names the Redis address: operators read it in the
		// log and on /status, not every client of /readyz.
		{"not ready", func(context.Context) error {
			return errors.New("store: dial tcp 10.0.0.5:6379: connect: connection refused")
		}, "/readyz", 503, "not ready: store unavailable"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, Ready: tt.ready})
			ts := httptest.NewServer(s)
			defer ts.Close()
			resp, body := get(t, ts, tt.path)
			if resp.StatusCode != tt.code || strings.TrimSpace(string(body)) != tt.body {
				t.Errorf("got %d %q, want %d %q", resp.StatusCode, body, tt.code, tt.body)
			}
		})
	}
}

func TestServer_Stylesheet(t *testing.T) {
	fx := loadFixture(t)
	_, ts := newTestServer(t, newFakeReader(fx), fx)
	resp, body := get(t, ts, "/static/style.css")
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/css; charset=utf-8" {
		t.Fatalf("status %d, type %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	if !bytes.Contains(body, []byte("system-ui")) {
		t.Error("stylesheet lacks the system font stack")
	}
	resp, _ = fetch(t, ts, http.MethodGet, "/static/style.css", map[string]string{"If-None-Match": resp.Header.Get("ETag")})
	if resp.StatusCode != http.StatusNotModified {
		t.Errorf("revalidation status %d, want 304", resp.StatusCode)
	}
}

func TestServer_PathPrefix(t *testing.T) {
	fx := loadFixture(t)
	s := NewServer(newFakeReader(fx), Options{BaseURL: "https://example.org/feeds/", Sections: []model.Section{fx.Section}})
	ts := httptest.NewServer(s)
	defer ts.Close()
	_, page := get(t, ts, "/")
	if !bytes.Contains(page, []byte(`href="/feeds/sections/news.atom"`)) {
		t.Errorf("index links ignore the BaseURL path:\n%s", page)
	}
	_, feed := get(t, ts, "/sections/news.atom")
	if !bytes.Contains(feed, []byte(`<id>https://example.org/feeds/sections/news.atom</id>`)) {
		t.Errorf("feed id ignores BaseURL")
	}
}

// discardWriter is a ResponseWriter that keeps only the status, so the
// benchmark measures the handler and not a recorder copying the body.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

// BenchmarkServeCached is the hot path: a cache hit, gzip and identity.
func BenchmarkServeCached(b *testing.B) {
	fx := loadFixture(b)
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}})
	for _, enc := range []string{"gzip", "identity"} {
		b.Run(enc, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/sections/news.atom", nil)
			req.Header.Set("Accept-Encoding", enc)
			s.ServeHTTP(httptest.NewRecorder(), req)
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.h)
				s.ServeHTTP(w, req)
				if w.code != 200 {
					b.Fatalf("status %d", w.code)
				}
			}
		})
	}
}
