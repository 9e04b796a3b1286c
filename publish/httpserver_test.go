package publish

import (
	"net/http"
	"testing"
	"time"
)

// The limits the slowloris and header tests rely on are the daemon's own.
func TestNewHTTPServer(t *testing.T) {
	srv := NewHTTPServer(http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadHeaderTimeout > 10*time.Second {
		t.Errorf("ReadHeaderTimeout %v, want a bound of at most 10s", srv.ReadHeaderTimeout)
	}
	if srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Errorf("timeouts read %v, write %v, idle %v: all must be set", srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
	if srv.MaxHeaderBytes != 64<<10 {
		t.Errorf("MaxHeaderBytes %d, want 65536 (the 431 cases send 100 KiB)", srv.MaxHeaderBytes)
	}
}
