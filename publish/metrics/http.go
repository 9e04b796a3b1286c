package metrics

import (
	"net/http"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// httpMetrics instruments requests. Its writers are pooled so that a
// render-cache hit, which otherwise allocates nothing, stays that way.
type httpMetrics struct {
	m       *Metrics
	writers sync.Pool
	// series caches the children of the route×code vectors: a map lookup
	// under a read lock costs less than hashing the label values per
	// request. Routes are mux patterns and codes few, so it stays small.
	mu     sync.RWMutex
	series map[routeCode]routeSeries
}

type routeCode struct {
	route string
	code  int
}

type routeSeries struct {
	requests prometheus.Counter
	seconds  prometheus.Observer
}

func (h *httpMetrics) init(m *Metrics) {
	h.m = m
	h.writers.New = func() any { return new(statusWriter) }
	h.series = make(map[routeCode]routeSeries)
}

func (h *httpMetrics) seriesOf(route string, code int) routeSeries {
	key := routeCode{route, code}
	h.mu.RLock()
	rs, ok := h.series[key]
	h.mu.RUnlock()
	if ok {
		return rs
	}
	rs = routeSeries{
		requests: h.m.requests.WithLabelValues(route, h.m.codeText(code)),
		seconds:  h.m.requestSeconds.WithLabelValues(route),
	}
	h.mu.Lock()
	h.series[key] = rs
	h.mu.Unlock()
	return rs
}

// serve runs next and records the request under its mux pattern. The
// pattern, not the path, is the route label: paths carry section ids and
// cursors, whose number is unbounded. ServeMux sets r.Pattern on the request
// it was given, so it is readable once next returns.
func (h *httpMetrics) serve(w http.ResponseWriter, r *http.Request, next http.Handler) {
	start := time.Now()
	sw := h.writers.Get().(*statusWriter)
	sw.ResponseWriter, sw.code = w, 0
	next.ServeHTTP(sw, r)
	code := sw.code
	if code == 0 {
		code = http.StatusOK
	}
	sw.ResponseWriter = nil
	h.writers.Put(sw)
	route := r.Pattern
	if route == "" {
		route = "unmatched"
	}
	rs := h.seriesOf(route, code)
	rs.requests.Inc()
	rs.seconds.Observe(time.Since(start).Seconds())
}

// Instrument wraps next so its requests are counted and timed (route label:
// the request's ServeMux pattern, "unmatched" for none). A nil *Metrics
// returns next.
func (m *Metrics) Instrument(next http.Handler) http.Handler {
	if m == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { m.http.serve(w, r, next) })
}

// statusWriter remembers the status code written through it.
type statusWriter struct {
	http.ResponseWriter
	code int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.code == 0 {
		w.code = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.code == 0 {
		w.code = http.StatusOK
	}
	return w.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection's writer
// (flushing, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
