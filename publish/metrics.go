package publish

import (
	"net/http"
)

// Metrics connects the server to the process's instrumentation, which
// cmd/ builds (package publish/metrics). This package declares what it
// needs and imports none of it, so serving never depends on the poll
// loop that instrumentation also observes.
type Metrics struct {
	// Handler serves /metrics.
	Handler http.Handler
	// RequireToken serves Handler only to requests bearing the admin
	// token as "Authorization: Bearer" (metrics.require_token); without
	// an admin token it then answers 401 to every request.
	RequireToken bool
	// Cache, when set, is told of every render cache hit and miss.
	Cache CacheObserver
}

// CacheObserver counts render cache hits (served without touching the
// store) and misses.
type CacheObserver interface {
	CacheHit()
	CacheMiss()
}

func (m *Metrics) cacheHit() {
	if m != nil && m.Cache != nil {
		m.Cache.CacheHit()
	}
}

func (m *Metrics) cacheMiss() {
	if m != nil && m.Cache != nil {
		m.Cache.CacheMiss()
	}
}

// routeMetrics serves /metrics when Options.Metrics has a handler.
func (s *Server) routeMetrics(mux *http.ServeMux) {
	m := s.opts.Metrics
	if m == nil || m.Handler == nil {
		return
	}
	h := m.Handler
	if m.RequireToken {
		h = s.bearerOnly(h)
	}
	mux.Handle("GET /metrics", h)
}

// bearerOnly serves h only to requests bearing the admin token as a
// Bearer token, checked as the admin API checks it (and under the same
// limit of wrong tokens). A scraper sends
// a bearer token, never Basic credentials. Without a token configured
// nothing gets through: the config refuses that combination, and a
// caller that skipped validation must not get an open endpoint.
func (s *Server) bearerOnly(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		chk := tokenCheck{verdict: tokenAbsent}
		if s.adminToken().set {
			given, has := requestToken(r, false)
			chk = s.checkToken(r, "metrics", given, has)
		}
		switch chk.verdict {
		case tokenOK:
			h.ServeHTTP(w, r)
		case tokenLocked:
			s.refusals.refused(r, "metrics from a client locked out")
			writeTooManyText(w, chk.until, s.opts.Now())
		default:
			s.refusals.refused(r, "metrics without the admin token")
			w.Header().Set("WWW-Authenticate", `Bearer realm="tributary-metrics"`)
			writeText(w, http.StatusUnauthorized, "/metrics needs the admin token (Authorization: Bearer <admin.token>)")
		}
	})
}
