package metrics

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/tributary-rss/tributary/aggregator/model"
	"github.com/tributary-rss/tributary/aggregator/store/storetest"
	"github.com/tributary-rss/tributary/publish"
)

func newTestMetrics(t testing.TB) *Metrics {
	t.Helper()
	m, err := NewMetrics(prometheus.NewRegistry())
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// *Metrics counts the render cache of a publish.Server.
var _ publish.CacheObserver = (*Metrics)(nil)

// fakeReader serves one section of two entries at version 1.
type fakeReader struct{}

func (fakeReader) SectionPage(context.Context, string, model.PageQuery) (model.Page, error) {
	t0 := time.Date(2025, 12, 1, 8, 0, 0, 0, time.UTC)
	return model.Page{Entries: []model.Entry{
		{ID: "a", SourceID: "s", Title: "A", Link: "https://example.org/a", Published: t0},
		{ID: "b", SourceID: "s", Title: "B", Link: "https://example.org/b", Published: t0.Add(-time.Hour)},
	}}, nil
}

func (fakeReader) SectionMeta(context.Context, string) (model.SectionMeta, error) {
	return model.SectionMeta{Version: 1}, nil
}

func (r fakeReader) SectionMetas(ctx context.Context, ids []string) (map[string]model.SectionMeta, error) {
	out := map[string]model.SectionMeta{}
	for _, id := range ids {
		out[id], _ = r.SectionMeta(ctx, id)
	}
	return out, nil
}

// newInstrumentedServer wires m to a publish.Server the way cmd/ does.
func newInstrumentedServer(m *Metrics) http.Handler {
	s := publish.NewServer(fakeReader{}, publish.Options{BaseURL: "https://feeds.example.org",
		Sections: []model.Section{{ID: "news", Title: "News", MaxItems: 50}},
		Metrics:  &publish.Metrics{Handler: m.Handler(), Cache: m}})
	return m.Instrument(s)
}

func TestMetrics_HTTPAndCache(t *testing.T) {
	m := newTestMetrics(t)
	s := newInstrumentedServer(m)
	for _, path := range []string{"/sections/news.atom", "/sections/news.atom", "/sections/news.atom", "/sections/nope.rss", "/no/such/route"} {
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, path, nil))
	}
	tests := []struct {
		name string
		c    prometheus.Collector
		want float64
	}{
		{"cache misses", m.cacheMisses, 1},
		{"cache hits", m.cacheHits, 2},
		{"atom 200", m.requests.WithLabelValues("GET /sections/{name}", "200"), 3},
		{"unknown section 404", m.requests.WithLabelValues("GET /sections/{name}", "404"), 1},
		{"unmatched 404", m.requests.WithLabelValues("unmatched", "404"), 1},
	}
	for _, tt := range tests {
		if got := testutil.ToFloat64(tt.c); got != tt.want {
			t.Errorf("%s = %v, want %v", tt.name, got, tt.want)
		}
	}
	if n := testutil.CollectAndCount(m.requestSeconds); n != 2 {
		t.Errorf("latency histograms = %d, want 2 (one per route)", n)
	}
	body := scrape(t, s)
	for _, want := range []string{
		`tributary_http_requests_total{code="200",route="GET /sections/{name}"} 3`,
		`tributary_http_request_duration_seconds_count{route="GET /sections/{name}"} 4`,
		`tributary_render_cache_hits_total 2`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %q", want)
		}
	}
}

func TestMetrics_ObservePoll(t *testing.T) {
	tests := []struct {
		name   string
		res    Poll
		result string
	}{
		{"parsed", Poll{New: 3, Updated: 1, Bytes: 1000, FetchDuration: 20 * time.Millisecond}, PollOK},
		{"304", Poll{NotModified: true, FetchDuration: time.Millisecond}, PollNotModified},
		{"same body", Poll{SameBody: true}, PollUnchanged},
		{"gone", Poll{Gone: true, Failed: true}, PollError},
		{"failure", Poll{Failed: true}, PollError},
	}
	m := newTestMetrics(t)
	for _, tt := range tests {
		m.ObservePoll(tt.res)
		if got := pollResult(tt.res); got != tt.result {
			t.Errorf("%s: result %q, want %q", tt.name, got, tt.result)
		}
	}
	checks := []struct {
		name string
		c    prometheus.Collector
		want float64
	}{
		{"ok", m.polls.WithLabelValues(PollOK), 1},
		{"error", m.polls.WithLabelValues(PollError), 2},
		{"new", m.entries.WithLabelValues("new"), 3},
		{"updated", m.entries.WithLabelValues("updated"), 1},
		{"bytes", m.fetchedBytes, 1000},
		{"gone", m.gone, 1},
	}
	for _, c := range checks {
		if got := testutil.ToFloat64(c.c); got != c.want {
			t.Errorf("%s = %v, want %v", c.name, got, c.want)
		}
	}
}

func scrape(t *testing.T, h http.Handler) string {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != http.StatusOK {
		t.Fatalf("/metrics = %d", w.Code)
	}
	b, _ := io.ReadAll(w.Body)
	return string(b)
}

// discardWriter keeps only the status, so the benchmark measures the
// handler and not a recorder copying the body.
type discardWriter struct {
	h    http.Header
	code int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *discardWriter) WriteHeader(code int)        { w.code = code }

// BenchmarkServeCachedMetrics is publish's BenchmarkServeCached with
// metrics on: compare the two to see what instrumentation costs a cache
// hit.
func BenchmarkServeCachedMetrics(b *testing.B) {
	s := newInstrumentedServer(newTestMetrics(b))
	req := httptest.NewRequest(http.MethodGet, "/sections/news.atom", nil)
	req.Header.Set("Accept-Encoding", "gzip")
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
}

func TestMetrics_RedisHook(t *testing.T) {
	m := newTestMetrics(t)
	client := storetest.StartEmbedded(t)
	client.AddHook(m.RedisHook())
	ctx := context.Background()
	steps := []struct {
		name string
		do   func() error
		want float64
	}{
		{"missing key is no error", func() error { return client.Get(ctx, "nope").Err() }, 0},
		{"ok command", func() error { return client.Set(ctx, "k", "v", 0).Err() }, 0},
		{"wrong type", func() error { return client.LPush(ctx, "k", "x").Err() }, 1},
		{"failing pipeline", func() error {
			pipe := client.Pipeline()
			pipe.Get(ctx, "k")
			pipe.HGet(ctx, "k", "f")
			_, err := pipe.Exec(ctx)
			return err
		}, 2},
	}
	for _, s := range steps {
		_ = s.do()
		if got := testutil.ToFloat64(m.redisErrors); got != s.want {
			t.Errorf("after %s: redis errors = %v, want %v", s.name, got, s.want)
		}
	}
}
