package publish

import (
	"net/http"
	"time"
)

// NewHTTPServer is the http.Server every listener of the daemon uses,
// bounding what one client can hold: slow headers (slowloris), slow
// bodies, idle keep-alives and oversized headers. A handler the daemon
// serves does little per request, so these bounds never cut an honest
// client short.
func NewHTTPServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}
