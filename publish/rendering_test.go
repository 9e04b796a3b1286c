package publish

import (
	"compress/gzip"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strconv"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// loadFixture100 is testdata/news100.json: one section of 100 entries
// whose content compresses about as well as real news, the section the
// load harness (loadtest/run.sh) serves.
func loadFixture100(t testing.TB) fixture {
	t.Helper()
	b, err := os.ReadFile("testdata/news100.json")
	if err != nil {
		t.Fatal(err)
	}
	var fx fixture
	if err := json.Unmarshal(b, &fx); err != nil {
		t.Fatalf("parse fixture: %v", err)
	}
	return fx
}

// BenchmarkGzipLevels prices the gzip copy made on every render miss of
// the 100-entry section in RSS, per level, with the compressed size as
// gz-bytes.
func BenchmarkGzipLevels(b *testing.B) {
	fx := loadFixture100(b)
	body, err := renderRSS(feedData{Section: fx.Section, Meta: fx.Meta, Entries: fx.Entries, BaseURL: testBaseURL})
	if err != nil {
		b.Fatal(err)
	}
	for _, level := range []int{gzip.BestSpeed, 5, gzip.DefaultCompression, gzip.BestCompression} {
		b.Run("level="+strconv.Itoa(level), func(b *testing.B) {
			b.SetBytes(int64(len(body)))
			var n int
			for b.Loop() {
				gz, err := gzipLevel(body, level)
				if err != nil {
					b.Fatal(err)
				}
				n = len(gz)
			}
			b.ReportMetric(float64(n), "gz-bytes")
			b.ReportMetric(float64(len(body)), "plain-bytes")
		})
	}
}

// nopWriter is a ResponseWriter that allocates nothing: its header map is
// cleared, not replaced, between requests, and the body is dropped.
type nopWriter struct {
	h    http.Header
	code int
}

func (w *nopWriter) Header() http.Header         { return w.h }
func (w *nopWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *nopWriter) WriteHeader(code int)        { w.code = code }

// TestServer_hitAllocs: a cache hit allocates nothing in our code, whatever
// the answer (gzip or not, 304, HEAD, a page negotiated on
// Accept-Language, the API): the handler allocates only what net/url
// does to parse a query string, and the whole server only that and what
// net/http's ServeMux allocates to route the path.
func TestServer_hitAllocs(t *testing.T) {
	if testing.Short() {
		t.Skip("allocation counts")
	}
	fx := loadFixture(t)
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}})
	tests := []struct {
		name, method, path, name2 string
		header                    map[string]string
		code                      int
	}{
		{"identity", "GET", "/sections/news.rss", "news.rss", nil, 200},
		{"gzip", "GET", "/sections/news.atom", "news.atom", map[string]string{"Accept-Encoding": "gzip, deflate, br"}, 200},
		{"not modified", "GET", "/sections/news.json", "news.json", map[string]string{"If-None-Match": etagOf(s, "news-v12-json-50")}, 304},
		{"head", "HEAD", "/sections/news.rss", "news.rss", nil, 200},
		{"page", "GET", "/sections/news", "news", map[string]string{"Accept-Language": "en-US,en;q=0.9"}, 200},
		{"query", "GET", "/sections/news.rss?limit=2", "news.rss", nil, 200},
		{"api", "GET", "/api/v1/sections/news/entries", "news", nil, 200},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req := httptest.NewRequest(tt.method, tt.path, nil)
			for k, v := range tt.header {
				req.Header.Set(k, v)
			}
			handler := s.handleSection
			pattern, param := "GET /sections/{name}", "name"
			if tt.name == "api" {
				handler, pattern, param = s.handleAPIEntries, "GET /api/v1/sections/{id}/entries", "id"
			}
			w := &nopWriter{h: http.Header{}}
			s.ServeHTTP(w, req) // fills the cache
			direct := req.Clone(req.Context())
			direct.SetPathValue(param, tt.name2)
			run := func(h http.Handler, r *http.Request) float64 {
				return testing.AllocsPerRun(200, func() {
					clear(w.h)
					w.code = 0
					h.ServeHTTP(w, r)
					if w.code != tt.code {
						t.Fatalf("status %d, want %d", w.code, tt.code)
					}
				})
			}
			// The floor does what net/http and net/url must: route, and
			// parse a query string when there is one.
			var query url.Values
			floor := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.RawQuery != "" {
					query = r.URL.Query()
				}
				w.WriteHeader(tt.code)
			})
			if n, least := run(http.HandlerFunc(handler), direct), run(floor, direct); n > least {
				t.Errorf("the handler allocates %v times per cache hit, parsing the query alone %v", n, least)
			}
			mux := http.NewServeMux()
			mux.Handle(pattern, floor)
			if n, least := run(s, req), run(mux, req); n > least {
				t.Errorf("the server allocates %v times per cache hit, net/http alone %v", n, least)
			}
			_ = query
		})
	}
}

// BenchmarkServeHit serves the cached 100-entry section over loopback
// through net/http, next to a bare handler that writes the same headers
// and bytes from memory: the difference is what Tributary costs on top of
// net/http.
func BenchmarkServeHit(b *testing.B) {
	fx := loadFixture100(b)
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}})
	const path = "/sections/news.rss?limit=100"
	for _, enc := range []string{"identity", "gzip"} {
		req := httptest.NewRequest(http.MethodGet, path, nil)
		req.Header.Set("Accept-Encoding", enc)
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		header, body := rec.Header().Clone(), rec.Body.Bytes()
		bare := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			h := w.Header()
			for k, v := range header {
				h[k] = v
			}
			w.WriteHeader(http.StatusOK)
			_, _ = w.Write(body)
		})
		for _, srv := range []struct {
			name string
			h    http.Handler
		}{{"tributary", s}, {"bare", bare}} {
			b.Run(enc+"/"+srv.name, func(b *testing.B) {
				ts := httptest.NewServer(srv.h)
				defer ts.Close()
				client := &http.Client{Transport: &http.Transport{DisableCompression: true, MaxIdleConnsPerHost: 1}}
				req, err := http.NewRequest(http.MethodGet, ts.URL+path, nil)
				if err != nil {
					b.Fatal(err)
				}
				req.Header.Set("Accept-Encoding", enc)
				b.SetBytes(int64(len(body)))
				for b.Loop() {
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					n, _ := io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if resp.StatusCode != http.StatusOK || n != int64(len(body)) {
						b.Fatalf("status %d, %d bytes", resp.StatusCode, n)
					}
				}
			})
		}
	}
}
