package publish

import (
	"context"
	"log/slog"
	"net/http"
)

// NewOpsHandler serves only /healthz, /readyz and /metrics: what a
// poll-only instance exposes (tributary run --role poll). ready backs
// /readyz (nil: always ready); m may be nil (no /metrics).
func NewOpsHandler(ready func(ctx context.Context) error, m *Metrics) http.Handler {
	s := &Server{opts: Options{Ready: ready}, ready: newReadiness(ready, slog.New(slog.DiscardHandler))}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", s.handleHealth)
	mux.HandleFunc("GET /readyz", s.handleReady)
	if m != nil {
		mux.Handle("GET /metrics", m.Handler())
	}
	return m.Instrument(mux)
}
