package publish

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/tributary-rss/tributary/aggregator/model"
)

// exposition stands in for the Prometheus handler.
var exposition = http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	_, _ = w.Write([]byte("tributary_polls_total 1\n"))
})

// countingCache is a CacheObserver.
type countingCache struct{ hits, misses int }

func (c *countingCache) CacheHit()  { c.hits++ }
func (c *countingCache) CacheMiss() { c.misses++ }

func TestServer_metricsToken(t *testing.T) {
	const token = "0123456789abcdef-token"
	tests := []struct {
		name    string
		require bool
		token   string // admin.token
		auth    string
		code    int
	}{
		{"open by default", false, token, "", 200},
		{"open without an admin token", false, "", "", 200},
		{"required: no header", true, token, "", 401},
		{"required: wrong token", true, token, "Bearer " + token + "x", 401},
		{"required: Basic is not accepted", true, token, "Basic " + base64.StdEncoding.EncodeToString([]byte("prometheus:"+token)), 401},
		{"required: bearer token", true, token, "Bearer " + token, 200},
		{"required without an admin token: closed", true, "", "Bearer ", 401},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := &Metrics{Handler: exposition, RequireToken: tt.require}
			for name, h := range map[string]http.Handler{
				"server": NewServer(&fakeReader{}, Options{BaseURL: testBaseURL, Metrics: m, AdminToken: tt.token}),
				"ops":    NewOpsHandler(Options{Metrics: m, AdminToken: tt.token}),
			} {
				req := httptest.NewRequest(http.MethodGet, "/metrics", nil)
				if tt.auth != "" {
					req.Header.Set("Authorization", tt.auth)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, req)
				if w.Code != tt.code {
					t.Errorf("%s: GET /metrics = %d, want %d", name, w.Code, tt.code)
				}
				if w.Code == 401 && w.Header().Get("WWW-Authenticate") == "" {
					t.Errorf("%s: 401 without WWW-Authenticate", name)
				}
			}
		})
	}
}

func TestServer_cacheObserver(t *testing.T) {
	fx := loadFixture(t)
	c := &countingCache{}
	s := NewServer(newFakeReader(fx), Options{BaseURL: testBaseURL, Sections: []model.Section{fx.Section}, Metrics: &Metrics{Cache: c}})
	for range 3 {
		s.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/sections/news.atom", nil))
	}
	if c.hits != 2 || c.misses != 1 {
		t.Errorf("hits %d, misses %d; want 2 and 1", c.hits, c.misses)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/metrics", nil))
	if w.Code != http.StatusNotFound {
		t.Errorf("/metrics without a handler = %d, want 404", w.Code)
	}
}

func TestNewOpsHandler(t *testing.T) {
	notReady := errors.New("store: dial tcp 10.0.0.5:6379: connect: connection refused")
	tests := []struct {
		name  string
		ready error
		path  string
		code  int
	}{
		{"health", nil, "/healthz", 200},
		{"ready", nil, "/readyz", 200},
		{"not ready", notReady, "/readyz", 503},
		{"metrics", nil, "/metrics", 200},
		{"no feeds", nil, "/sections/news.rss", 404},
		{"no index", nil, "/", 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := NewOpsHandler(Options{Ready: func(context.Context) error { return tt.ready }, Metrics: &Metrics{Handler: exposition}})
			w := httptest.NewRecorder()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, tt.path, nil))
			if w.Code != tt.code {
				t.Errorf("GET %s = %d, want %d", tt.path, w.Code, tt.code)
			}
			if tt.ready != nil && w.Body.String() != notReadyText+"\n" {
				t.Errorf("GET %s body %q, want %q", tt.path, w.Body.String(), notReadyText)
			}
		})
	}
}
