// Package metrics is Tributary's Prometheus instrumentation: polls,
// fetches, ingest, the render cache, HTTP requests, Redis errors and
// store-backed gauges, on a registry the caller owns.
//
// It is wired in cmd/: the scheduler's OnPoll feeds ObservePoll, the
// store's Redis client takes RedisHook, Instrument wraps the HTTP handler
// and the server is handed Handler and the cache observer through
// publish.Metrics. Package publish never imports it, so serving does not
// depend on the poll loop this package reads PollResult from.
package metrics

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Poll results, the values of the result label of tributary_polls_total.
const (
	PollOK          = "ok"           // fetched, parsed and stored
	PollNotModified = "not_modified" // 304
	PollUnchanged   = "unchanged"    // body identical to the last one
	PollError       = "error"
)

// Metrics is Tributary's Prometheus instrumentation: polls, fetches,
// ingest, the render cache, HTTP requests and Redis errors, registered on a
// registry the caller owns (never the process-wide default, so tests and
// several servers in one process do not collide). A nil *Metrics records
// nothing.
type Metrics struct {
	reg            *prometheus.Registry
	polls          *prometheus.CounterVec
	fetchSeconds   prometheus.Histogram
	fetchedBytes   prometheus.Counter
	entries        *prometheus.CounterVec
	gone           prometheus.Counter
	cacheHits      prometheus.Counter
	cacheMisses    prometheus.Counter
	requests       *prometheus.CounterVec
	requestSeconds *prometheus.HistogramVec
	redisErrors    prometheus.Counter
	// codes holds the status codes as label strings, so the request hot
	// path does not format (and allocate) one per request.
	codes [600]string
	http  httpMetrics
	// store is the store-backed collector, once CollectStore registered
	// it; SetSections points it at a reloaded config.
	store *storeCollector
}

// NewMetrics creates the collectors and registers them on reg; it fails
// only when reg already holds series of the same names.
func NewMetrics(reg *prometheus.Registry) (*Metrics, error) {
	if reg == nil {
		return nil, errors.New("metrics: nil registry")
	}
	m := &Metrics{
		reg: reg,
		polls: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tributary_polls_total",
			Help: "Polls by result: ok (new body parsed), not_modified (304), unchanged (same body), error."}, []string{"result"}),
		fetchSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "tributary_fetch_duration_seconds",
			Help: "Time of the HTTP fetch of one poll.", Buckets: prometheus.ExponentialBuckets(0.05, 2, 11)}),
		fetchedBytes: prometheus.NewCounter(prometheus.CounterOpts{Name: "tributary_fetched_bytes_total",
			Help: "Feed body bytes handed to the parser (UTF-8, after decompression; 304s and unchanged bodies add nothing)."}),
		entries: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tributary_entries_ingested_total",
			Help: "Entries stored by polls: new or updated in place."}, []string{"change"}),
		gone: prometheus.NewCounter(prometheus.CounterOpts{Name: "tributary_sources_gone_total",
			Help: "Polls answered 410 Gone; the source is not polled again until its URL changes."}),
		cacheHits: prometheus.NewCounter(prometheus.CounterOpts{Name: "tributary_render_cache_hits_total",
			Help: "Feed and page requests served from the render cache without touching the store."}),
		cacheMisses: prometheus.NewCounter(prometheus.CounterOpts{Name: "tributary_render_cache_misses_total",
			Help: "Feed and page requests that had to read the store (and render, unless another request just did)."}),
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "tributary_http_requests_total",
			Help: "HTTP requests by route pattern and status code."}, []string{"route", "code"}),
		requestSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "tributary_http_request_duration_seconds",
			Help: "HTTP request latency by route pattern.", Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5}}, []string{"route"}),
		redisErrors: prometheus.NewCounter(prometheus.CounterOpts{Name: "tributary_redis_errors_total",
			Help: "Redis commands, pipelines and dials that failed (a missing key is not an error)."}),
	}
	for code := range m.codes {
		m.codes[code] = strconv.Itoa(code)
	}
	m.http.init(m)
	for _, c := range []prometheus.Collector{m.polls, m.fetchSeconds, m.fetchedBytes, m.entries,
		m.gone, m.cacheHits, m.cacheMisses, m.requests, m.requestSeconds, m.redisErrors} {
		if err := reg.Register(c); err != nil {
			return nil, err
		}
	}
	// Zero series exist from the start, so rate() and alerts see them
	// before the first event.
	for _, r := range []string{PollOK, PollNotModified, PollUnchanged, PollError} {
		m.polls.WithLabelValues(r)
	}
	m.entries.WithLabelValues("new")
	m.entries.WithLabelValues("updated")
	return m, nil
}

// Handler serves the registry in the Prometheus exposition format.
func (m *Metrics) Handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// Poll is what the poll counters count of one poll; the wiring fills it
// from the poll loop's result, so this package needs nothing of it.
type Poll struct {
	// Failed, NotModified (a 304) and SameBody (a body hashed as last
	// time) choose the result label; none of them is PollOK.
	Failed, NotModified, SameBody bool
	// FetchDuration is the HTTP fetch's time (0: none was made), Bytes
	// the body handed to the parser.
	FetchDuration time.Duration
	Bytes         int64
	New, Updated  int
	// Gone is a 410 answer.
	Gone bool
}

// ObservePoll records one poll.
func (m *Metrics) ObservePoll(p Poll) {
	if m == nil {
		return
	}
	m.polls.WithLabelValues(pollResult(p)).Inc()
	if p.FetchDuration > 0 {
		m.fetchSeconds.Observe(p.FetchDuration.Seconds())
	}
	m.fetchedBytes.Add(float64(p.Bytes))
	m.entries.WithLabelValues("new").Add(float64(p.New))
	m.entries.WithLabelValues("updated").Add(float64(p.Updated))
	if p.Gone {
		m.gone.Inc()
	}
}

func pollResult(p Poll) string {
	switch {
	case p.Failed:
		return PollError
	case p.NotModified:
		return PollNotModified
	case p.SameBody:
		return PollUnchanged
	}
	return PollOK
}

// CacheHit counts a request served from the render cache (it makes
// *Metrics a publish.CacheObserver).
func (m *Metrics) CacheHit() {
	if m != nil {
		m.cacheHits.Inc()
	}
}

// CacheMiss counts a request that had to read the store.
func (m *Metrics) CacheMiss() {
	if m != nil {
		m.cacheMisses.Inc()
	}
}

// codeText is the label of an HTTP status code.
func (m *Metrics) codeText(code int) string {
	if code >= 0 && code < len(m.codes) {
		return m.codes[code]
	}
	return strconv.Itoa(code)
}
