package publish

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"
)

// A ReadyError's reason is what /readyz answers, also when wrapped; any
// other failure keeps the store-unavailable text.
func TestServer_readyzReason(t *testing.T) {
	const reason = "snapshot /srv/t.snapshot not writable"
	cause := &ReadyError{Reason: reason, Err: errors.New("directory /srv is not writable by uid 10001: permission denied")}
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"reason", cause, "not ready: " + reason + "\n"},
		{"wrapped reason", fmt.Errorf("check: %w", cause), "not ready: " + reason + "\n"},
		{"other error", errors.New("store: dial tcp 10.0.0.5:6379: connection refused"), notReadyText + "\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewServer(&fakeReader{}, Options{BaseURL: testBaseURL, Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
				Ready: func(context.Context) error { return tt.err }})
			w := httptest.NewRecorder()
			s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/readyz", nil))
			if w.Code != http.StatusServiceUnavailable || w.Body.String() != tt.want {
				t.Errorf("/readyz = %d %q, want 503 %q", w.Code, w.Body.String(), tt.want)
			}
		})
	}
}
