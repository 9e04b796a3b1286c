package publish

import (
	"log/slog"
	"net/http"
	"time"
)

// NewOpsHandler serves only /healthz, /readyz and /metrics: what a
// poll-only instance exposes (tributary run --role poll). Of opts it
// reads Ready, Metrics (nil: no /metrics), AdminToken (for
// Metrics.RequireToken), Admin and TrustedProxies (for the limit of wrong
// tokens), Now and Logger; /readyz and a guarded /metrics behave as on a
// Server.
func NewOpsHandler(opts Options) *OpsHandler {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	if opts.Now == nil {
		opts.Now = time.Now
	}
	s := &Server{opts: opts, log: opts.Logger, ready: newReadiness(opts.Ready, opts.Logger), refusals: newRefusalLog(opts.Logger)}
	s.initTokenLimit()
	s.SetAdminToken(opts.AdminToken)
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	s.routeMetrics(mux)
	return &OpsHandler{mux: mux, srv: s}
}

// OpsHandler is a poll-only instance's handler (see NewOpsHandler).
type OpsHandler struct {
	mux *http.ServeMux
	srv *Server
}

// SetAdminToken replaces the admin token a guarded /metrics checks, as
// Server.SetAdminToken does: a token the operator rotated out must be
// refused on every instance, poll-only ones too. Safe while serving.
func (h *OpsHandler) SetAdminToken(token string) { h.srv.SetAdminToken(token) }

func (h *OpsHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }
